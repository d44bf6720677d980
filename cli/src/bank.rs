//! `inflow bank keygen|open`: a bank's contact key pair, and opening the contacts of a lead
//! export (`GET /v1/bank/leads` saved to a file) with its private key. Everything here runs on
//! the bank's machine: the private key never goes to inflow.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};
use inflow_core::lead::feed::{BankLead, BankLeads, ContactStatus};
use inflow_core::lead::seal;

/// Writes a new private key to `out` (mode 0600, never over an existing file) and returns the
/// line for the bank's tenant file.
pub fn keygen(out: &Path) -> Result<String> {
    let keys = seal::keygen(&mut getrandom::rand_core::UnwrapErr(getrandom::SysRng));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(out)
        .with_context(|| format!("creating {} (an existing key is never overwritten)", out.display()))?;
    let key_id = seal::key_id(&keys.public)?;
    write!(
        file,
        "# inflow contact private key (X25519, base64url), key id {key_id}. Keep it to yourself:\n\
         # it opens every contact sealed to the public key below.\n\
         # public: {}\n{}\n",
        keys.public, keys.private
    )?;
    Ok(format!(
        "# key id {key_id}; private key in {}\n[bank]\ncontact_key = \"{}\"\n",
        out.display(),
        keys.public
    ))
}

/// Reads a private key file: the first line that is neither empty nor a `#` comment.
pub fn read_key(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let key = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .with_context(|| format!("{} holds no key", path.display()))?;
    seal::public_of(key).with_context(|| format!("{}", path.display()))?;
    Ok(key.to_string())
}

/// Every lead of the export `input` (one or more `GET /v1/bank/leads` answers, one after the
/// other; `None` or `-`: standard input), one line each, with its contact opened by
/// `private_key`; and how many leads did not open (each says why on its line).
pub fn open(private_key: &str, input: Option<&Path>) -> Result<(String, usize)> {
    let text = match input.filter(|p| p.as_os_str() != "-") {
        Some(p) => std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?,
        None => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s)?;
            s
        }
    };
    let own_key_id = seal::key_id(&seal::public_of(private_key)?)?;
    let (mut out, mut failed) = (String::new(), 0);
    for page in serde_json::Deserializer::from_str(&text).into_iter::<BankLeads>() {
        let page = page.context("the export is not a GET /v1/bank/leads answer")?;
        for lead in &page.leads {
            match line(private_key, &own_key_id, &page.bank, lead) {
                Ok(l) => writeln!(out, "{l}")?,
                Err(why) => {
                    failed += 1;
                    writeln!(out, "{}\terror: {why}", lead.id)?;
                }
            }
        }
    }
    Ok((out, failed))
}

/// `id  time  partner/scene  contact  consent`, tab-separated.
fn line(private_key: &str, own_key_id: &str, bank: &str, lead: &BankLead) -> Result<String> {
    let contact = match (lead.contact, &lead.sealed_contact) {
        (ContactStatus::Sealed, Some(sealed)) => {
            let key_id = lead.key_id.as_deref().unwrap_or("?");
            if key_id != own_key_id {
                bail!("sealed to key {key_id}, this private key is {own_key_id}");
            }
            let record = seal::open(private_key, bank, &lead.id, sealed)?;
            let number = record
                .contact
                .strip_prefix("tel:")
                .or_else(|| record.contact.strip_prefix("mailto:"));
            number.unwrap_or(&record.contact).to_string()
        }
        (ContactStatus::Sealed, None) => bail!("marked sealed but carries no ciphertext"),
        (ContactStatus::NoKey, _) => "(contact given, not sealed: no contact key then)".into(),
        (ContactStatus::None, _) => "(no contact)".into(),
        (ContactStatus::Erased, _) => "(erased)".into(),
    };
    if lead.kind == inflow_core::lead::feed::ERASED {
        return Ok(format!("{}	erased	{}/{}	(erased)	-", lead.id, lead.partner, lead.scene));
    }
    let consent = lead.consent.as_ref().map_or("no consent".to_string(), |c| {
        format!("consent {} at {}", c.version, c.accepted_at)
    });
    Ok(format!(
        "{}\t{}\t{}/{}\t{contact}\t{consent}",
        lead.id, lead.created_at, lead.partner, lead.scene
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use inflow_core::lead::feed::FeedConsent;
    use inflow_core::lead::seal::ContactRecord;

    fn lead(id: &str, public: &str, bank: &str) -> BankLead {
        let mut rng = getrandom::rand_core::UnwrapErr(getrandom::SysRng);
        let record = ContactRecord {
            lead_id: id.into(),
            contact: "tel:+8613800138000".into(),
            consent_version: "contact-2026-11".into(),
            consent_at: "2026-11-30T10:00:00Z".into(),
        };
        let sealed = seal::seal(public, bank, &record, &mut rng).expect("seals");
        BankLead {
            kind: "lead".into(),
            id: id.into(),
            created_at: "2026-11-30T10:00:01.000Z".into(),
            partner: "edu-demo".into(),
            scene: "education".into(),
            risk_tolerance: "balanced".into(),
            tags: None,
            products: vec!["td-12m".into()],
            consent: Some(FeedConsent {
                version: "contact-2026-11".into(),
                accepted_at: "2026-11-30T10:00:00Z".into(),
            }),
            contact: ContactStatus::Sealed,
            key_id: Some(sealed.key_id),
            sealed_contact: Some(sealed.sealed),
        }
    }

    #[test]
    fn keygen_writes_a_private_file_once_and_open_reads_an_export() {
        let dir = std::env::temp_dir().join(format!("inflow-bank-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("key");
        let _ = std::fs::remove_file(&path);
        let printed = keygen(&path).expect("writes the key");
        assert!(keygen(&path).is_err(), "never overwrites");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("exists").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let private = read_key(&path).expect("reads");
        let public = seal::public_of(&private).expect("a key");
        assert!(printed.contains(&format!("contact_key = \"{public}\"")));

        let other = seal::keygen(&mut getrandom::rand_core::UnwrapErr(getrandom::SysRng));
        let mut moved = lead("lead-3", &public, "demo-bank");
        moved.id = "lead-4".into();
        let page = BankLeads {
            bank: "demo-bank".into(),
            leads: vec![
                lead("lead-1", &public, "demo-bank"),
                lead("lead-2", &other.public, "demo-bank"),
                moved,
            ],
            cursor: "3".into(),
            more: false,
        };
        let export = dir.join("export.json");
        std::fs::write(&export, serde_json::to_string(&page).expect("json")).expect("written");
        let (out, failed) = open(&private, Some(&export)).expect("opens the export");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(failed, 2, "{out}");
        assert!(
            lines[0].starts_with("lead-1\t") && lines[0].contains("+8613800138000"),
            "{out}"
        );
        assert!(lines[1].starts_with("lead-2\terror: sealed to key"), "{out}");
        assert!(lines[2].starts_with("lead-4\terror: it does not open"), "{out}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
