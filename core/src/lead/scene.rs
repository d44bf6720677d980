//! The partner sites the widget lives on. The scene changes the wording, never the rules.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scene {
    Education,
    Gaming,
    Telehealth,
}

impl Scene {
    pub const ALL: [Scene; 3] = [Scene::Education, Scene::Gaming, Scene::Telehealth];

    pub fn as_str(self) -> &'static str {
        match self {
            Scene::Education => "education",
            Scene::Gaming => "gaming",
            Scene::Telehealth => "telehealth",
        }
    }

    pub fn parse(s: &str) -> Option<Scene> {
        Scene::ALL.into_iter().find(|scene| scene.as_str() == s)
    }
}
