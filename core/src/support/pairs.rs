//! A small string → string map (answers, attribution) kept as a vector sorted by key.
//!
//! It behaves like `BTreeMap<String, String>` for what inflow does with it, and serialises the
//! same way (a JSON object in key order), but costs the widget's wasm a fraction of a B-tree's
//! code: these maps hold a dozen entries, where a sorted vector is also the faster structure.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pairs(Vec<(String, String)>);

impl Pairs {
    pub fn new() -> Self {
        Pairs(Vec::new())
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key`, returning the value it replaced.
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
}

impl FromIterator<(String, String)> for Pairs {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut pairs = Pairs::new();
        for (k, v) in iter {
            pairs.insert(k, v);
        }
        pairs
    }
}

impl Serialize for Pairs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct PairsVisitor;

        impl<'de> Visitor<'de> for PairsVisitor {
            type Value = Pairs;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of strings")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Pairs, A::Error> {
                let mut pairs = Pairs::new();
                // A repeated key keeps its last value, as a JSON object parsed into a map does.
                while let Some((k, v)) = access.next_entry::<String, String>()? {
                    pairs.insert(k, v);
                }
                Ok(pairs)
            }
        }

        d.deserialize_map(PairsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn behaves_like_a_btreemap(ops in proptest::collection::vec(("[a-e]{1,2}", "[a-z]{0,3}", any::<bool>()), 0..60)) {
            let mut ours = Pairs::new();
            let mut model = BTreeMap::new();
            for (k, v, remove) in ops {
                if remove {
                    prop_assert_eq!(ours.remove(&k), model.remove(&k));
                } else {
                    prop_assert_eq!(ours.insert(k.clone(), v.clone()), model.insert(k, v));
                }
            }
            prop_assert_eq!(ours.len(), model.len());
            let a: Vec<_> = ours.iter().collect();
            let b: Vec<_> = model.iter().collect();
            prop_assert_eq!(a, b);
            let json = serde_json::to_string(&ours).unwrap_or_default();
            prop_assert_eq!(&json, &serde_json::to_string(&model).unwrap_or_default());
            let back: Pairs = serde_json::from_str(&json).unwrap_or_default();
            prop_assert_eq!(back, ours);
        }
    }

    #[test]
    fn refuses_non_string_values() {
        assert!(serde_json::from_str::<Pairs>(r#"{"a": 1}"#).is_err());
        assert!(serde_json::from_str::<Pairs>(r#"["a"]"#).is_err());
    }
}
