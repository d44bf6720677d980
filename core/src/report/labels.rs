//! Short names reports show for questions and scenes (the drop-off's rows, a breakdown's
//! groups). Kept here, not on the questions, so the widget's bundle does not carry them; a test
//! keeps one name for every question in the questionnaire and every scene.

use crate::lead::scene::Scene;
use crate::support::i18n::Text;

/// Each question's short name, by question id.
const QUESTIONS: &[(&str, Text)] = &[
    ("age", Text::new("年龄", "年齡", "Age")),
    ("goal", Text::new("理财目标", "理財目標", "Goal")),
    ("horizon", Text::new("投资期限", "投資期限", "Horizon")),
    ("amount", Text::new("金额", "金額", "Amount")),
    ("liquidity", Text::new("流动性需求", "流動性需求", "Liquidity need")),
    ("region", Text::new("地区", "地區", "Region")),
    ("assets", Text::new("金融资产", "金融資產", "Financial assets")),
    ("experience", Text::new("投资经验", "投資經驗", "Experience")),
    ("knowledge", Text::new("金融知识", "金融知識", "Knowledge")),
    ("income", Text::new("收入", "收入", "Income")),
    ("objective", Text::new("投资目标", "投資目標", "Objective")),
    (
        "max_loss",
        Text::new("可承受最大亏损", "可承受最大虧損", "Largest acceptable loss"),
    ),
    (
        "loss",
        Text::new("面对亏损的反应", "面對虧損的反應", "Reaction to a loss"),
    ),
];

/// The short name of question `id` (`lead::questionnaire` ids); `None` for an id the
/// questionnaire no longer asks, which a report shows as it is.
pub fn question(id: &str) -> Option<Text> {
    QUESTIONS.iter().find(|(q, _)| *q == id).map(|(_, t)| *t)
}

/// A scene's name as partners call it.
pub fn scene(scene: Scene) -> Text {
    match scene {
        Scene::Education => Text::new("在线教育", "線上教育", "Education"),
        Scene::Gaming => Text::new("游戏", "遊戲", "Gaming"),
        Scene::Telehealth => Text::new("在线医疗", "線上醫療", "Telehealth"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lead::questionnaire;

    #[test]
    fn every_question_has_a_short_name_and_no_other_id_does() {
        for q in questionnaire::ALL {
            assert!(
                question(q.id).is_some(),
                "question {:?} has no short name in report::labels",
                q.id
            );
        }
        assert_eq!(
            QUESTIONS.len(),
            questionnaire::ALL.len(),
            "a short name for a question no longer asked"
        );
        assert_eq!(question("shoe_size"), None);
    }
}
