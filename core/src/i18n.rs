//! Languages the visitor can chat in, and text that exists in all of them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[serde(rename = "zh-Hans")]
    ZhHans,
    #[serde(rename = "zh-Hant")]
    ZhHant,
    #[default]
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::ZhHans, Lang::ZhHant, Lang::En];

    /// The BCP 47 tag, as used in `data-lang` and `navigator.languages`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhHans => "zh-Hans",
            Lang::ZhHant => "zh-Hant",
            Lang::En => "en",
        }
    }

    /// Best match for a browser or page language tag; unknown tags fall back to English.
    /// Traditional script is chosen for the regions that write it (TW, HK, MO).
    pub fn negotiate(tag: &str) -> Lang {
        let t = tag.trim().to_ascii_lowercase();
        if !t.starts_with("zh") {
            return Lang::En;
        }
        let traditional = ["hant", "-tw", "-hk", "-mo"];
        if traditional.iter().any(|m| t.contains(m)) {
            Lang::ZhHant
        } else {
            Lang::ZhHans
        }
    }
}

/// A piece of UI or domain text in every supported language; the compiler makes sure none is
/// missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub zh_hans: &'static str,
    pub zh_hant: &'static str,
    pub en: &'static str,
}

impl Text {
    pub const fn new(zh_hans: &'static str, zh_hant: &'static str, en: &'static str) -> Self {
        Text { zh_hans, zh_hant, en }
    }

    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhHans => self.zh_hans,
            Lang::ZhHant => self.zh_hant,
            Lang::En => self.en,
        }
    }
}

/// Fills a template's `{name}` placeholders, in order, with `values` (a missing value leaves the
/// place empty). Searching for a single character keeps `str::replace`'s substring search out of
/// the widget's wasm.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut parts = template.split('{');
    let mut out = String::from(parts.next().unwrap_or_default());
    for (i, part) in parts.enumerate() {
        out.push_str(values.get(i).copied().unwrap_or_default());
        out.push_str(part.split_once('}').map_or(part, |(_, rest)| rest));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_scripts_and_regions() {
        assert_eq!(Lang::negotiate("zh-CN"), Lang::ZhHans);
        assert_eq!(Lang::negotiate("zh"), Lang::ZhHans);
        assert_eq!(Lang::negotiate("zh-Hant-TW"), Lang::ZhHant);
        assert_eq!(Lang::negotiate("zh-HK"), Lang::ZhHant);
        assert_eq!(Lang::negotiate("en-GB"), Lang::En);
        assert_eq!(Lang::negotiate("fr"), Lang::En);
    }

    #[test]
    fn fills_placeholders_in_order() {
        assert_eq!(fill("Step {n} of {m}", &["2", "13"]), "Step 2 of 13");
        assert_eq!(fill("第 {n}/{m} 步", &["2", "13"]), "第 2/13 步");
        assert_eq!(fill("risk {c}.", &[]), "risk .");
        assert_eq!(fill("no placeholder", &["x"]), "no placeholder");
    }

    proptest::proptest! {
        #[test]
        fn fill_agrees_with_replace(a in "[^{}]*", b in "[^{}]*", v in ".*", w in ".*") {
            let template = format!("{a}{{n}}{b}{{m}}");
            let by_replace = template.replace("{n}", &v).replace("{m}", &w);
            // replace would also rewrite a "{m}" inside v; fill never looks inside values.
            proptest::prop_assume!(!v.contains("{m}"));
            proptest::prop_assert_eq!(fill(&template, &[&v, &w]), by_replace);
        }
    }

    #[test]
    fn serde_uses_bcp47_tags() {
        for lang in Lang::ALL {
            let json = serde_json::to_string(&lang).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", lang.tag()));
        }
    }
}

/// Text that arrives as data (a bank's catalogue), in every supported language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    #[serde(rename = "zh-Hans")]
    pub zh_hans: String,
    #[serde(rename = "zh-Hant")]
    pub zh_hant: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhHans => &self.zh_hans,
            Lang::ZhHant => &self.zh_hant,
            Lang::En => &self.en,
        }
    }

    pub fn is_complete(&self) -> bool {
        Lang::ALL.iter().all(|l| !self.get(*l).trim().is_empty())
    }
}
