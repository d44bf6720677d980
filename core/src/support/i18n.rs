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

    /// Best match for one browser or page language tag; see [`Lang::negotiate_all`].
    pub fn negotiate(tag: &str) -> Lang {
        Lang::negotiate_all([tag])
    }

    /// The one language rule, for a visitor's whole preference list (`navigator.languages`, best
    /// first): the first tag in a language the chat speaks decides; tags in other languages are
    /// skipped (`fr-FR, zh-TW` → Traditional); nothing spoken → English.
    ///
    /// A Chinese tag (`zh`, `cmn`, `yue`) is read subtag by subtag (BCP 47, `-` or `_`):
    /// an explicit script subtag wins (`zh-Hans-HK` → Simplified, `yue-Hans` → Simplified);
    /// otherwise the regions that write Traditional (TW, HK, MO) and Cantonese (`yue`) mean
    /// Traditional, everything else Simplified. `widget/loader/widget.js` carries a small JS copy
    /// of this rule, checked against [`NEGOTIATION_TABLE`] by the browser tests.
    pub fn negotiate_all<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter().find_map(Lang::supported).unwrap_or(Lang::En)
    }

    /// The language one tag asks for, if the chat speaks it.
    fn supported(tag: &str) -> Option<Lang> {
        let t = tag.trim().to_ascii_lowercase();
        let mut subtags = t.split(['-', '_']);
        let primary = subtags.next().unwrap_or_default();
        if primary == "en" {
            return Some(Lang::En);
        }
        if !matches!(primary, "zh" | "cmn" | "yue") {
            return None;
        }
        let next = subtags.next().unwrap_or_default();
        Some(match next {
            "hans" => Lang::ZhHans,
            "hant" => Lang::ZhHant,
            _ if primary == "yue" || matches!(next, "tw" | "hk" | "mo") => Lang::ZhHant,
            _ => Lang::ZhHans,
        })
    }
}

/// Preference lists (comma-separated, as `navigator.languages` joined) and the language each
/// must get: the table both [`Lang::negotiate_all`] and the loader's JS copy are tested against.
pub const NEGOTIATION_TABLE: &[(&str, Lang)] = &[
    ("zh-CN", Lang::ZhHans),
    ("zh", Lang::ZhHans),
    ("zh-SG", Lang::ZhHans),
    ("zh-Hans", Lang::ZhHans),
    ("zh-Hant", Lang::ZhHant),
    ("zh-TW", Lang::ZhHant),
    ("zh-HK", Lang::ZhHant),
    ("zh-MO", Lang::ZhHant),
    ("zh-Hant-TW", Lang::ZhHant),
    ("zh-Hans-HK", Lang::ZhHans),
    ("zh_TW", Lang::ZhHant),
    ("yue", Lang::ZhHant),
    ("yue-HK", Lang::ZhHant),
    ("yue-Hans-CN", Lang::ZhHans),
    ("cmn-Hant-TW", Lang::ZhHant),
    ("en-GB", Lang::En),
    ("fr", Lang::En),
    ("fr-FR,zh-TW", Lang::ZhHant),
    ("de-DE,fr-FR,zh-Hans-HK,en", Lang::ZhHans),
    ("en-US,zh-CN", Lang::En),
    ("ja-JP,ko-KR", Lang::En),
    ("zhx,zh-HK", Lang::ZhHant),
    ("", Lang::En),
];

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
    fn negotiates_the_whole_list_by_the_table() {
        for (list, want) in NEGOTIATION_TABLE {
            assert_eq!(Lang::negotiate_all(list.split(',')), *want, "{list}");
        }
        assert_eq!(Lang::negotiate("zh-HK"), Lang::ZhHant);
        assert_eq!(Lang::negotiate_all([]), Lang::En);
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
    /// The three languages' texts, in the order of [`Lang`]'s variants.
    pub fn new(zh_hans: &str, zh_hant: &str, en: &str) -> Localized {
        Localized {
            zh_hans: zh_hans.into(),
            zh_hant: zh_hant.into(),
            en: en.into(),
        }
    }

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

    /// Why the text is refused as `field` (`"name"`), if it is: a missing language, or a
    /// language's text failing [`text::check`](super::text::check) with `max_chars` and `lines`.
    pub fn problem(&self, field: &str, max_chars: usize, lines: super::text::Lines) -> Option<String> {
        if !self.is_complete() {
            return Some(format!("{field} is missing a language"));
        }
        Lang::ALL.iter().find_map(|&l| {
            super::text::check(self.get(l), max_chars, lines)
                .err()
                .map(|e| format!("{field} ({}) {}", l.tag(), e.reason()))
        })
    }
}
