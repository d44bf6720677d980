//! The one rule of who may do what on which object under `/v1/admin/`. The edge authenticates
//! the key (`KeyRecord::authenticate`, `operator_matches`), names the object from the route and
//! asks [`authorize`]; a refusal is a 403 whose detail is [`Denied`]'s sentence.

use super::keys::{KeyKind, Principal};
use crate::api::Problem;

/// What a request does to a resource: reads it or changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Read,
    Write,
}

/// What a request touches. Bank-scoped objects name their bank; a partner names the banks it
/// has a campaign with (what decides whether a bank admin may read it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource<'a> {
    /// The list of banks, and creating a bank.
    Banks,
    /// A bank's own record: names, brand colour, currency, consent text.
    Bank(&'a str),
    /// A bank's products and catalogue version.
    Catalogue(&'a str),
    /// A bank's campaigns and their commission rules.
    Campaigns(&'a str),
    /// A campaign of `bank` with a partner, and the banks that partner already has a campaign
    /// with: the operator links a bank to a partner (its first campaign there); a bank admin
    /// then runs campaigns only with the partners linked to its bank.
    CampaignWith { bank: &'a str, partner_banks: &'a [String] },
    /// Keys of a bank, of the kind given (creating, listing, revoking).
    BankKeys(&'a str, KeyKind),
    /// A bank's postback secrets (rotating, listing ids and expiries).
    Secrets(&'a str),
    /// The audit rows of a bank's objects.
    Audit(&'a str),
    /// The audit rows of every bank and of partners.
    AuditAll,
    /// A partner (name, origins) and the banks with a campaign for it.
    Partner { id: &'a str, banks: &'a [String] },
    /// Keys of a partner (its report keys).
    PartnerKeys(&'a str),
    /// A bank's webhook endpoints, their secrets and delivery log.
    BankWebhooks(&'a str),
    /// A partner's webhook endpoints (partners hold no admin key: the operator registers them).
    PartnerWebhooks(&'a str),
}

/// Why a principal may not: a sentence for the 403's detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Denied(pub &'static str);

/// 403 `forbidden` for any admin request [`authorize`] refuses, its detail the reason.
impl From<Denied> for Problem {
    fn from(d: Denied) -> Self {
        Problem::forbidden(d.0)
    }
}

/// Whether `who` may `access` `what`:
///
/// - the operator may do everything;
/// - a bank admin key may read its own bank and write nothing of it (the operator manages
///   banks); read and write its bank's catalogue, campaigns (only with partners already linked
///   to its bank), postback secrets and keys (bank
///   admin and bank report keys, not partner keys) and webhook endpoints; read its bank's audit rows; read a partner
///   that has a campaign with its bank, and change no partner; nothing of another bank;
/// - report keys (bank or partner) may do nothing here: they read `/v1/reports` only.
///
/// # Errors
/// [`Denied`] with the reason, for a 403.
pub fn authorize(who: &Principal, access: Operation, what: Resource<'_>) -> Result<(), Denied> {
    let bank = match who {
        Principal::Operator => return Ok(()),
        Principal::BankReport(_) | Principal::PartnerReport(_) => {
            return Err(Denied("report keys read /v1/reports only; use an admin key"))
        }
        Principal::BankAdmin(bank) => bank.as_str(),
    };
    let own = |b: &str| {
        if b == bank {
            Ok(())
        } else {
            Err(Denied("this key belongs to another bank"))
        }
    };
    match what {
        Resource::Banks | Resource::AuditAll | Resource::PartnerKeys(_) | Resource::PartnerWebhooks(_) => {
            Err(Denied("only the operator key may do this"))
        }
        Resource::Bank(b) => {
            own(b)?;
            match access {
                Operation::Read => Ok(()),
                Operation::Write => Err(Denied(
                    "a bank's names, colour, currency and consent are changed by the operator",
                )),
            }
        }
        Resource::Catalogue(b) | Resource::Campaigns(b) | Resource::Secrets(b) | Resource::BankWebhooks(b) => own(b),
        Resource::CampaignWith { bank: b, partner_banks } => {
            own(b)?;
            if partner_banks.iter().any(|p| p == bank) {
                Ok(())
            } else {
                // The same answer whether the partner exists or not: a bank learns nothing of
                // partners it has no campaign with.
                Err(Denied(
                    "this partner is not linked to your bank; the operator links a bank to a partner",
                ))
            }
        }
        Resource::Audit(b) => {
            own(b)?;
            match access {
                Operation::Read => Ok(()),
                Operation::Write => Err(Denied("the audit log is append-only")),
            }
        }
        Resource::BankKeys(b, kind) => {
            own(b)?;
            match kind {
                KeyKind::BankAdmin | KeyKind::BankReport => Ok(()),
                KeyKind::PartnerReport => Err(Denied("partner keys are made by the operator")),
            }
        }
        Resource::Partner { banks, .. } => match access {
            Operation::Write => Err(Denied("partners are changed by the operator")),
            Operation::Read if banks.iter().any(|b| b == bank) => Ok(()),
            Operation::Read => Err(Denied("this partner has no campaign with your bank")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Operation::{Read, Write};

    fn admin(b: &str) -> Principal {
        Principal::BankAdmin(b.into())
    }

    fn bank_scoped(b: &str) -> Vec<Resource<'_>> {
        vec![
            Resource::Catalogue(b),
            Resource::Campaigns(b),
            Resource::Secrets(b),
            Resource::BankWebhooks(b),
            Resource::BankKeys(b, KeyKind::BankAdmin),
            Resource::BankKeys(b, KeyKind::BankReport),
        ]
    }

    #[test]
    fn the_operator_may_do_everything() {
        let banks = ["a".to_string()];
        let mut all = bank_scoped("a");
        all.extend([
            Resource::Banks,
            Resource::Bank("a"),
            Resource::Audit("a"),
            Resource::AuditAll,
            Resource::PartnerKeys("p"),
            Resource::PartnerWebhooks("p"),
            Resource::BankKeys("a", KeyKind::PartnerReport),
            Resource::Partner { id: "p", banks: &banks },
            Resource::Partner { id: "q", banks: &[] },
        ]);
        for r in all {
            for a in [Read, Write] {
                assert_eq!(authorize(&Principal::Operator, a, r), Ok(()), "{a:?} {r:?}");
            }
        }
    }

    #[test]
    fn a_bank_admin_manages_its_own_bank_only() {
        for r in bank_scoped("bank-a") {
            for a in [Read, Write] {
                assert_eq!(authorize(&admin("bank-a"), a, r), Ok(()), "{a:?} {r:?}");
            }
        }
        for r in bank_scoped("bank-b")
            .into_iter()
            .chain([Resource::Bank("bank-b"), Resource::Audit("bank-b")])
        {
            for a in [Read, Write] {
                assert_eq!(
                    authorize(&admin("bank-a"), a, r),
                    Err(Denied("this key belongs to another bank")),
                    "{a:?} {r:?}"
                );
            }
        }
        assert_eq!(authorize(&admin("bank-a"), Read, Resource::Bank("bank-a")), Ok(()));
        assert!(authorize(&admin("bank-a"), Write, Resource::Bank("bank-a")).is_err());
        assert_eq!(authorize(&admin("bank-a"), Read, Resource::Audit("bank-a")), Ok(()));
        assert!(authorize(&admin("bank-a"), Write, Resource::Audit("bank-a")).is_err());
        for r in [
            Resource::Banks,
            Resource::AuditAll,
            Resource::PartnerKeys("p"),
            Resource::PartnerWebhooks("p"),
            Resource::BankKeys("bank-a", KeyKind::PartnerReport),
        ] {
            assert!(authorize(&admin("bank-a"), Read, r).is_err(), "{r:?}");
            assert!(authorize(&admin("bank-a"), Write, r).is_err(), "{r:?}");
        }
    }

    #[test]
    fn a_bank_admin_reads_only_its_partners_and_changes_none() {
        let with_a = ["bank-a".to_string(), "bank-c".to_string()];
        let with_b = ["bank-b".to_string()];
        let mine = Resource::Partner {
            id: "p",
            banks: &with_a,
        };
        let theirs = Resource::Partner {
            id: "q",
            banks: &with_b,
        };
        assert_eq!(authorize(&admin("bank-a"), Read, mine), Ok(()));
        assert!(authorize(&admin("bank-a"), Write, mine).is_err());
        assert!(authorize(&admin("bank-a"), Read, theirs).is_err());
        assert!(authorize(&admin("bank-a"), Read, Resource::Partner { id: "r", banks: &[] }).is_err());
    }

    #[test]
    fn a_bank_admin_runs_campaigns_only_with_partners_linked_to_its_bank() {
        let linked = ["bank-a".to_string(), "bank-c".to_string()];
        let with_a = Resource::CampaignWith {
            bank: "bank-a",
            partner_banks: &linked,
        };
        assert_eq!(authorize(&admin("bank-a"), Write, with_a), Ok(()));
        // Another bank's partner, or one that does not exist: the same refusal.
        for partner_banks in [&["bank-b".to_string()][..], &[]] {
            let poach = Resource::CampaignWith {
                bank: "bank-a",
                partner_banks,
            };
            assert_eq!(
                authorize(&admin("bank-a"), Write, poach),
                Err(Denied(
                    "this partner is not linked to your bank; the operator links a bank to a partner"
                ))
            );
            assert_eq!(authorize(&Principal::Operator, Write, poach), Ok(()));
        }
        assert!(
            authorize(&admin("bank-b"), Write, with_a).is_err(),
            "another bank's campaign"
        );
    }

    #[test]
    fn report_keys_may_do_nothing_here() {
        let banks = ["bank-a".to_string()];
        let mut all = bank_scoped("bank-a");
        all.extend([
            Resource::Bank("bank-a"),
            Resource::Audit("bank-a"),
            Resource::Partner { id: "p", banks: &banks },
        ]);
        for who in [
            Principal::BankReport("bank-a".into()),
            Principal::PartnerReport("p".into()),
        ] {
            for r in &all {
                for a in [Read, Write] {
                    assert!(authorize(&who, a, *r).is_err(), "{who:?} {a:?} {r:?}");
                }
            }
        }
    }
}
