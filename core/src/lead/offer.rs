//! The offer of a (partner, scene): what a partner's page for one scene may show — the active
//! campaigns for it from every bank that has one, their banks, and the products each campaign
//! pays for (issue 13, items 4–5). Leads are decided against its products; the widget is
//! configured from its banks ([`WidgetConfig`], `GET /v1/widget/{partner}/{scene}`).

use serde::{Deserialize, Serialize};

use crate::lead::catalogue::Product;
use crate::lead::scene::Scene;
use crate::support::i18n::Localized;

/// `GET /v1/widget/{partner}/{scene}` — what the widget shows for a (partner, scene): the
/// brand, the banks whose products it may recommend and the consent the visitor is asked for.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct WidgetConfig {
    pub partner: String,
    pub scene: Scene,
    /// The first bank's brand colour (banks ordered by id), `#rrggbb`.
    pub brand_color: String,
    /// The banks whose products the visitor may be shown, ordered by id.
    pub banks: Vec<WidgetBank>,
    pub consent: WidgetConsent,
}

/// One bank of a [`WidgetConfig`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct WidgetBank {
    /// The bank's id (`tenant::ID_PATTERN`).
    pub id: String,
    /// The bank's name in every language.
    pub name: Localized,
    /// The bank's brand colour, `#rrggbb`.
    pub brand_color: String,
}

/// The consent a visitor gives before leaving a contact, for every bank of the offer at once.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct WidgetConsent {
    /// The banks' consent versions joined by "+" in bank order: what a ConsentRecord's
    /// `version` must be for a lead of this (partner, scene).
    pub version: String,
    /// Per language: every bank's consent text in bank order (so the consent names each bank).
    pub text: Localized,
}

/// A product on offer, with the bank that sells it: what the ranking ranks, so that every
/// recommendation names its bank.
#[derive(Clone, Debug, PartialEq)]
pub struct Shelved {
    /// The selling bank's id.
    pub bank_id: String,
    /// The selling bank's name; a recommendation carries it in the lead's language.
    pub bank_name: Localized,
    pub product: Product,
}

/// A bank's row as the edge reads it for an offer: `names` and `consent` are the JSON text of
/// `banks.names` (core's [`Localized`]) and `banks.consent` ([`crate::tenant::Consent`]); NULL
/// for a bank written before tenants were data.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct BankRow {
    pub id: String,
    pub names: Option<String>,
    pub brand_color: Option<String>,
    pub consent: Option<String>,
    /// `banks.contact_key`: the public key a lead's contact is sealed to (`tenant::Bank`).
    #[serde(default)]
    pub contact_key: Option<String>,
}

/// An active campaign of the (partner, scene): its id, its bank and the JSON text of the
/// product ids it pays for (`campaigns.products`; `["*"]`: every product of the bank).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CampaignRow {
    pub id: String,
    pub bank_id: String,
    pub products: String,
}

/// A campaign on offer: the product ids it pays for, parsed.
#[derive(Clone, Debug, PartialEq)]
struct Paying {
    id: String,
    bank_id: String,
    products: Vec<String>,
}

/// A product of one of those banks: `spec` is the JSON text of `products.spec`, core's
/// catalogue [`Product`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ProductRow {
    pub bank_id: String,
    pub id: String,
    pub spec: String,
}

/// Everything the edge reads from D1 for one (partner, scene), in one statement.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct OfferRows {
    /// Whether the partner exists at all (a lead from an unknown one is `unknown_partner`).
    pub partner_known: bool,
    /// The active campaigns for the (partner, scene), any order.
    pub campaigns: Vec<CampaignRow>,
    /// Their banks, any order.
    pub banks: Vec<BankRow>,
    /// Those banks' products that have a spec, any order.
    pub products: Vec<ProductRow>,
}

/// The offer of a (partner, scene): its widget configuration, the products a lead is decided
/// against (every bank's) and which campaign pays for each.
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    pub config: WidgetConfig,
    /// Banks in id order, each bank's products in product id order.
    pub shelf: Vec<Shelved>,
    campaigns: Vec<Paying>,
    /// (bank id, contact key) of the banks on offer whose key is well-formed.
    contact_keys: Vec<(String, String)>,
}

/// What [`build`] makes of the rows: the offer, or none when nothing can be offered (no active
/// campaign, or none of its banks has a valid product on it), and every row it skipped with
/// the reason, for the edge to log.
#[derive(Clone, Debug, PartialEq)]
pub struct Built {
    pub offer: Option<Offer>,
    pub skipped: Vec<String>,
}

/// Builds the offer of (`partner`, `scene`) from its rows. A bank is on offer when its record
/// is complete (names in every language, a `#rrggbb` colour, a consent in every language) and
/// one of its campaigns here pays for at least one of its valid products. A product is valid
/// when its spec parses, names its row's id, and passes the catalogue rules
/// ([`crate::lead::catalogue::problems`], as the built-in catalogue and tenant files do).
/// Whatever fails is skipped (listed in [`Built::skipped`]), never an error: one bad row must
/// not take a partner's page down.
pub fn build(partner: &str, scene: Scene, rows: &OfferRows) -> Built {
    let mut skipped = Vec::new();
    let campaigns: Vec<Paying> = rows
        .campaigns
        .iter()
        .filter_map(|c| match serde_json::from_str(&c.products) {
            Ok(products) => Some(Paying {
                id: c.id.clone(),
                bank_id: c.bank_id.clone(),
                products,
            }),
            Err(e) => {
                skipped.push(format!("campaign '{}' skipped: products: {e}", c.id));
                None
            }
        })
        .collect();
    let mut banks: Vec<&BankRow> = rows.banks.iter().collect();
    banks.sort_by(|a, b| a.id.cmp(&b.id));
    let mut on_offer = Vec::new();
    let mut shelf = Vec::new();
    let mut contact_keys = Vec::new();
    for row in banks {
        let own: Vec<&Paying> = campaigns.iter().filter(|c| c.bank_id == row.id).collect();
        let Some(bank) = bank(row, &mut skipped) else { continue };
        let mut products = valid_products(&row.id, &rows.products, &mut skipped);
        products.retain(|p| own.iter().any(|c| offers(c, &p.id)));
        if products.is_empty() {
            continue;
        }
        products.sort_by(|a, b| a.id.cmp(&b.id));
        shelf.extend(products.into_iter().map(|product| Shelved {
            bank_id: bank.0.id.clone(),
            bank_name: bank.0.name.clone(),
            product,
        }));
        // A malformed key (written around the admin API) only costs the bank its contacts.
        match row.contact_key.as_deref().map(crate::tenant::contact_key_bytes) {
            Some(Ok(_)) => contact_keys.extend(row.contact_key.clone().map(|k| (row.id.clone(), k))),
            Some(Err(why)) => skipped.push(format!("bank '{}' contact_key ignored: {why}", row.id)),
            None => {}
        }
        on_offer.push(bank);
    }
    if on_offer.is_empty() {
        return Built { offer: None, skipped };
    }
    let consent = WidgetConsent {
        version: on_offer
            .iter()
            .map(|(_, c)| c.version.as_str())
            .collect::<Vec<_>>()
            .join("+"),
        text: Localized {
            zh_hans: on_offer
                .iter()
                .map(|(_, c)| c.zh_hans.as_str())
                .collect::<Vec<_>>()
                .join(""),
            zh_hant: on_offer
                .iter()
                .map(|(_, c)| c.zh_hant.as_str())
                .collect::<Vec<_>>()
                .join(""),
            en: on_offer
                .iter()
                .map(|(_, c)| c.en.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        },
    };
    let banks: Vec<WidgetBank> = on_offer.into_iter().map(|(b, _)| b).collect();
    let offer = Offer {
        config: WidgetConfig {
            partner: partner.to_string(),
            scene,
            brand_color: banks[0].brand_color.clone(),
            banks,
            consent,
        },
        shelf,
        campaigns,
        contact_keys,
    };
    Built {
        offer: Some(offer),
        skipped,
    }
}

fn offers(c: &Paying, product: &str) -> bool {
    c.products
        .iter()
        .any(|p| p == crate::tenant::ALL_PRODUCTS || p == product)
}

/// The bank's widget record and consent, or `None` (and why, in `skipped`) when incomplete.
fn bank(row: &BankRow, skipped: &mut Vec<String>) -> Option<(WidgetBank, crate::tenant::Consent)> {
    let checked = (|| {
        let name: Localized = serde_json::from_str(row.names.as_deref().ok_or("it has no names")?)
            .map_err(|_| "its names are not {zh-Hans, zh-Hant, en}")?;
        let consent: crate::tenant::Consent = serde_json::from_str(row.consent.as_deref().ok_or("it has no consent")?)
            .map_err(|_| "its consent is not {version, zh-Hans, zh-Hant, en}")?;
        let color = row.brand_color.clone().unwrap_or_default();
        if !name.is_complete() || !consent.text().is_complete() || consent.version.is_empty() {
            return Err("its name or consent is missing a language or a version");
        }
        if !crate::tenant::is_brand_color(&color) {
            return Err("its brand_color is not #rrggbb");
        }
        let bank = WidgetBank {
            id: row.id.clone(),
            name,
            brand_color: color,
        };
        Ok((bank, consent))
    })();
    checked
        .map_err(|why| skipped.push(format!("bank '{}' skipped: {why}", row.id)))
        .ok()
}

/// The bank's products whose specs parse, name their row and pass the catalogue rules.
fn valid_products(bank: &str, rows: &[ProductRow], skipped: &mut Vec<String>) -> Vec<Product> {
    let mut parsed = Vec::new();
    for row in rows.iter().filter(|r| r.bank_id == bank) {
        match serde_json::from_str::<Product>(&row.spec) {
            Ok(p) if p.id == row.id => parsed.push(p),
            Ok(p) => skipped.push(format!(
                "product '{bank}/{}' skipped: its spec is product '{}'",
                row.id, p.id
            )),
            Err(e) => skipped.push(format!("product '{bank}/{}' skipped: {e}", row.id)),
        }
    }
    let problems = crate::lead::catalogue::problems(&parsed);
    for (i, why) in &problems {
        skipped.push(format!("product '{bank}/{}' skipped: {why}", parsed[*i].id));
    }
    parsed
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !problems.iter().any(|(j, _)| j == i))
        .map(|(_, p)| p)
        .collect()
}

impl Offer {
    /// What a lead's consent `version` must be: every bank's, joined by "+".
    pub fn consent_version(&self) -> &str {
        &self.config.consent.version
    }

    /// Refuses (409 `consent_outdated`) a lead whose consent was given to another text than
    /// this offer's: a bank replaced its text while the visitor chatted. Its own code, so the
    /// widget stops resending a lead that would be refused the same way every time.
    pub fn check_consent(&self, lead: &crate::api::LeadRequest) -> Result<(), crate::api::Problem> {
        match &lead.consent {
            Some(c) if c.version != self.consent_version() => Err(crate::api::Problem::consent_outdated()),
            _ => Ok(()),
        }
    }

    /// The public key `bank`'s contacts are sealed to, if the bank is on offer and has one.
    pub fn contact_key(&self, bank: &str) -> Option<&str> {
        self.contact_keys
            .iter()
            .find(|(b, _)| b == bank)
            .map(|(_, k)| k.as_str())
    }

    /// The campaign that pays for `bank`'s product `product` here, chosen among that bank's
    /// campaigns by [`crate::conversion::attribution::pick_campaign`]'s rule: one naming the
    /// product beats one covering every product, then the smallest id.
    pub fn campaign_for(&self, bank: &str, product: &str) -> Option<&str> {
        let best = |wanted: &str| {
            self.campaigns
                .iter()
                .filter(|c| c.bank_id == bank && c.products.iter().any(|p| p == wanted))
                .map(|c| c.id.as_str())
                .min()
        };
        best(product).or_else(|| best(crate::tenant::ALL_PRODUCTS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lead::catalogue::{self, RiskLevel};
    use crate::lead::consent::{ConsentRecord, CONSENT_TEXT, CONSENT_VERSION};
    use crate::lead::engine::{decide, Context};
    use crate::support::i18n::Lang;

    fn localized(zh_hans: &str, zh_hant: &str, en: &str) -> Localized {
        Localized::new(zh_hans, zh_hant, en)
    }

    fn demo_bank() -> BankRow {
        let consent = serde_json::json!({
            "version": CONSENT_VERSION,
            "zh-Hans": CONSENT_TEXT.get(Lang::ZhHans),
            "zh-Hant": CONSENT_TEXT.get(Lang::ZhHant),
            "en": CONSENT_TEXT.get(Lang::En),
        });
        BankRow {
            id: "demo-bank".into(),
            names: Some(serde_json::to_string(&catalogue::builtin().name).expect("names serialise")),
            brand_color: Some("#0b6e4f".into()),
            consent: Some(consent.to_string()),
            contact_key: None,
        }
    }

    fn lotus_bank() -> BankRow {
        BankRow {
            id: "lotus-bank".into(),
            names: Some(serde_json::to_string(&localized("莲花银行", "蓮花銀行", "Lotus Bank")).expect("names serialise")),
            brand_color: Some("#7a1f5c".into()),
            consent: Some(
                r#"{"version":"lotus-2026-12","zh-Hans":"我同意莲花银行联系我。","zh-Hant":"我同意蓮花銀行聯繫我。","en":"I agree that Lotus Bank may contact me."}"#.into(),
            ),
            contact_key: None,
        }
    }

    fn rows_of(bank: &str, products: &[Product]) -> Vec<ProductRow> {
        products
            .iter()
            .map(|p| ProductRow {
                bank_id: bank.into(),
                id: p.id.clone(),
                spec: serde_json::to_string(p).expect("a product serialises"),
            })
            .collect()
    }

    /// Lotus sells Demo Bank's demand deposit under the same id, at a better yield.
    fn lotus_demand() -> Product {
        let mut p = catalogue::builtin()
            .product("demand-plus")
            .expect("the demo has it")
            .clone();
        p.name = localized("莲花活期", "蓮花活期", "Lotus demand savings");
        p.yield_bps += 100;
        p.priority = 100;
        p.url = "https://lotus.example/demand".into();
        p
    }

    fn campaign(id: &str, bank: &str, products: &[&str]) -> CampaignRow {
        CampaignRow {
            id: id.into(),
            bank_id: bank.into(),
            products: serde_json::to_string(products).expect("ids serialise"),
        }
    }

    fn two_banks() -> OfferRows {
        let mut products = rows_of("lotus-bank", &[lotus_demand()]);
        products.extend(rows_of("demo-bank", &catalogue::builtin().products));
        OfferRows {
            partner_known: true,
            // Any order: the offer sorts banks and products.
            banks: vec![lotus_bank(), demo_bank()],
            campaigns: vec![
                campaign("cmp-lotus", "lotus-bank", &["*"]),
                campaign("cmp-demo", "demo-bank", &["*"]),
                campaign("cmp-demo-td", "demo-bank", &["td-12m"]),
            ],
            products,
        }
    }

    #[test]
    fn the_demo_bank_alone_offers_the_builtin_catalogue_with_todays_consent() {
        let mut rows = two_banks();
        rows.banks.retain(|b| b.id == "demo-bank");
        rows.campaigns.retain(|c| c.bank_id == "demo-bank");
        let built = build("edu-demo", Scene::Education, &rows);
        assert_eq!(built.skipped, Vec::<String>::new());
        let offer = built.offer.expect("an offer");
        let ids = |s: &[Shelved]| s.iter().map(|s| s.product.id.clone()).collect::<Vec<_>>();
        let mut want = ids(&catalogue::builtin().shelf());
        want.sort();
        assert_eq!(ids(&offer.shelf), want);
        assert_eq!(offer.config.brand_color, "#0b6e4f");
        assert_eq!(offer.consent_version(), CONSENT_VERSION);
        assert_eq!(offer.config.consent.text.get(Lang::En), CONSENT_TEXT.get(Lang::En));
    }

    #[test]
    fn each_bank_on_offer_brings_its_contact_key_and_a_malformed_one_is_skipped() {
        let key = crate::support::encoding::base64url(&[9; 32]);
        let mut rows = two_banks();
        rows.banks[1].contact_key = Some(key.clone());
        let built = build("edu-demo", Scene::Education, &rows);
        let offer = built.offer.expect("an offer");
        assert_eq!(offer.contact_key("demo-bank"), Some(key.as_str()));
        assert_eq!(offer.contact_key("lotus-bank"), None);
        assert_eq!(offer.contact_key("harbor-bank"), None);
        rows.banks[0].contact_key = Some("short".into());
        let built = build("edu-demo", Scene::Education, &rows);
        assert_eq!(built.offer.expect("an offer").contact_key("lotus-bank"), None);
        assert_eq!(built.skipped.len(), 1, "{:?}", built.skipped);
        assert!(built.skipped[0].starts_with("bank 'lotus-bank' contact_key ignored"));
    }

    #[test]
    fn two_banks_share_the_shelf_and_the_consent_in_bank_order() {
        let offer = build("edu-demo", Scene::Education, &two_banks())
            .offer
            .expect("an offer");
        let banks: Vec<&str> = offer.config.banks.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(banks, ["demo-bank", "lotus-bank"]);
        assert_eq!(offer.config.brand_color, "#0b6e4f", "the first bank's");
        assert_eq!(offer.consent_version(), "contact-2026-11+lotus-2026-12");
        let en = offer.config.consent.text.get(Lang::En);
        assert!(en.contains("Demo Bank") && en.contains("Lotus Bank"), "{en}");
        assert!(en.find("Demo Bank") < en.find("Lotus Bank"));
        assert_eq!(offer.shelf.len(), catalogue::builtin().products.len() + 1);
        // The same product id at two banks: each bank's own campaign pays for its own.
        assert_eq!(offer.campaign_for("lotus-bank", "demand-plus"), Some("cmp-lotus"));
        assert_eq!(offer.campaign_for("demo-bank", "demand-plus"), Some("cmp-demo"));
        assert_eq!(offer.campaign_for("demo-bank", "td-12m"), Some("cmp-demo-td"));
        assert_eq!(offer.campaign_for("harbor-bank", "td-12m"), None);
    }

    #[test]
    fn a_lead_is_decided_across_banks_and_each_card_names_its_bank_in_the_leads_language() {
        let offer = build("edu-demo", Scene::Education, &two_banks())
            .offer
            .expect("an offer");
        let mut answers = crate::lead::profile::tests::typical();
        answers.insert("goal".into(), "emergency".into());
        answers.insert("liquidity".into(), "anytime".into());
        for (lang, lotus) in [
            (Lang::ZhHans, "莲花银行"),
            (Lang::ZhHant, "蓮花銀行"),
            (Lang::En, "Lotus Bank"),
        ] {
            let lead = crate::api::LeadRequest {
                partner: "edu-demo".into(),
                scene: Scene::Education,
                lang,
                answers: answers.clone(),
                attribution: Default::default(),
                consent: None,
            };
            let d = decide(&lead, &offer.shelf, &Context::default()).expect("valid lead");
            // Lotus's demand deposit out-yields and out-prioritises Demo Bank's: it leads.
            let first = &d.recommendations[0];
            assert_eq!(
                (first.bank_id.as_str(), first.bank_name.as_str()),
                ("lotus-bank", lotus)
            );
            assert_eq!(first.name, lotus_demand().name.get(lang));
            let demo = catalogue::builtin().name.get(lang);
            assert!(d.recommendations[1..]
                .iter()
                .all(|r| r.bank_id == "demo-bank" && r.bank_name == demo));
            // Both banks' feeds get the lead, each with its own cards only, best first.
            #[cfg(feature = "seal")]
            {
                let ids = |bank: &str| -> Vec<String> {
                    d.recommendations
                        .iter()
                        .filter(|r| r.bank_id == bank)
                        .map(|r| r.product_id.clone())
                        .collect()
                };
                assert_eq!(
                    crate::lead::feed::banks_shown(&d.recommendations),
                    [
                        ("lotus-bank".to_string(), ids("lotus-bank")),
                        ("demo-bank".to_string(), ids("demo-bank"))
                    ]
                );
            }
            let wire = first.clone().answer("https://edge/c/t".into());
            assert_eq!((wire.bank_id.as_str(), wire.bank_name.as_str()), ("lotus-bank", lotus));
        }
    }

    #[test]
    fn a_campaign_naming_products_offers_only_those() {
        let mut rows = two_banks();
        rows.campaigns = vec![campaign("cmp-demo-td", "demo-bank", &["td-12m", "no-such"])];
        let offer = build("edu-demo", Scene::Education, &rows).offer.expect("an offer");
        let shelf: Vec<(&str, &str)> = offer
            .shelf
            .iter()
            .map(|s| (s.bank_id.as_str(), s.product.id.as_str()))
            .collect();
        assert_eq!(shelf, [("demo-bank", "td-12m")]);
        assert_eq!(offer.config.banks.len(), 1, "Lotus has no campaign here");
        assert_eq!(offer.consent_version(), CONSENT_VERSION);
    }

    #[test]
    fn broken_rows_are_skipped_and_said_never_fatal() {
        let mut rows = two_banks();
        // A deposit above R1, a spec that is not a product, a spec naming another row.
        let mut risky = lotus_demand();
        risky.id = "lotus-risky".into();
        risky.risk = RiskLevel(3);
        rows.products.extend(rows_of("lotus-bank", &[risky]));
        rows.products.push(ProductRow {
            bank_id: "lotus-bank".into(),
            id: "lotus-garbled".into(),
            spec: "{\"id\":".into(),
        });
        let mut other = rows_of("lotus-bank", &[lotus_demand()]);
        other[0].id = "lotus-alias".into();
        rows.products.extend(other);
        rows.campaigns.push(CampaignRow {
            products: "*".into(),
            ..campaign("cmp-garbled", "lotus-bank", &[])
        });
        let built = build("edu-demo", Scene::Education, &rows);
        let offer = built.offer.expect("the valid rows still offer");
        assert_eq!(offer.shelf.iter().filter(|s| s.bank_id == "lotus-bank").count(), 1);
        let said = built.skipped.join("\n");
        for what in [
            "product 'lotus-bank/lotus-risky' skipped: deposits are R1",
            "product 'lotus-bank/lotus-garbled' skipped",
            "product 'lotus-bank/lotus-alias' skipped: its spec is product 'demand-plus'",
            "campaign 'cmp-garbled' skipped: products:",
        ] {
            assert!(said.contains(what), "{what} in {said}");
        }
        // A bank without names (a row from before tenants were data) is left out whole.
        rows.banks[0].names = None;
        let built = build("edu-demo", Scene::Education, &rows);
        assert_eq!(built.offer.expect("Demo Bank's").config.banks.len(), 1);
        assert!(built
            .skipped
            .iter()
            .any(|s| s == "bank 'lotus-bank' skipped: it has no names"));
        // A bad colour too.
        let mut rows = two_banks();
        rows.banks[1].brand_color = Some("green".into());
        let built = build("edu-demo", Scene::Education, &rows);
        assert!(built
            .skipped
            .iter()
            .any(|s| s.contains("'demo-bank' skipped: its brand_color")));
        assert_eq!(built.offer.expect("Lotus's").config.brand_color, "#7a1f5c");
    }

    #[test]
    fn nothing_to_offer_is_no_offer() {
        let mut rows = two_banks();
        rows.campaigns.clear();
        assert_eq!(build("edu-demo", Scene::Gaming, &rows).offer, None);
        let mut rows = two_banks();
        rows.products.clear();
        assert_eq!(build("edu-demo", Scene::Gaming, &rows).offer, None);
    }

    #[test]
    fn a_lead_consents_to_the_offers_version_or_is_refused() {
        let offer = build("edu-demo", Scene::Education, &two_banks())
            .offer
            .expect("an offer");
        let mut lead = crate::api::LeadRequest {
            partner: "edu-demo".into(),
            scene: Scene::Education,
            lang: Lang::En,
            answers: crate::lead::profile::tests::typical(),
            attribution: Default::default(),
            consent: None,
        };
        assert!(offer.check_consent(&lead).is_ok(), "no consent, nothing to check");
        for (version, ok) in [
            ("contact-2026-11+lotus-2026-12", true),
            (CONSENT_VERSION, false),
            ("lotus-2026-12+contact-2026-11", false),
        ] {
            lead.consent = Some(ConsentRecord {
                version: version.into(),
                accepted_at: "2026-11-25T01:02:03Z".into(),
                contact: None,
            });
            let got = offer.check_consent(&lead).map_err(|p| p.code);
            assert_eq!(got.is_ok(), ok, "{version}");
            if !ok {
                assert_eq!(got, Err(crate::api::ProblemCode::ConsentOutdated));
            }
        }
    }

    #[test]
    fn the_config_is_the_wire_contract() {
        let offer = build("edu-demo", Scene::Education, &two_banks())
            .offer
            .expect("an offer");
        let v = serde_json::to_value(&offer.config).expect("serialises");
        assert_eq!(v["partner"], "edu-demo");
        assert_eq!(v["scene"], "education");
        assert_eq!(v["banks"][1]["name"]["zh-Hant"], "蓮花銀行");
        assert_eq!(v["consent"]["version"], "contact-2026-11+lotus-2026-12");
        let back: WidgetConfig = serde_json::from_value(v).expect("parses back");
        assert_eq!(back, offer.config);
    }
}
