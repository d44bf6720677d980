//! The conversation: one definition read by the widget (to ask) and by the edge (to check).

use std::collections::BTreeMap;

use crate::i18n::Text;
use crate::scene::Scene;

/// Answers as sent over the wire: question id → choice id.
pub type Answers = BTreeMap<String, String>;

#[derive(Debug)]
pub struct Question {
    pub id: &'static str,
    pub prompt: Text,
    pub choices: &'static [Choice],
}

#[derive(Debug)]
pub struct Choice {
    pub id: &'static str,
    pub label: Text,
}

/// Questions are static and their ids unique, so the id is their identity.
impl PartialEq for Question {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Question {}

impl Question {
    pub fn choice(&self, id: &str) -> Option<&'static Choice> {
        self.choices.iter().find(|c| c.id == id)
    }
}

const fn c(id: &'static str, label: Text) -> Choice {
    Choice { id, label }
}

pub static AGE: Question = Question {
    id: "age",
    prompt: Text::new("先确认一下，您的年龄段是？", "先確認一下，您的年齡段是？", "First, which age band are you in?"),
    choices: &[
        c("under_18", Text::new("18岁以下", "18歲以下", "Under 18")),
        c("18_29", Text::new("18–29岁", "18–29歲", "18–29")),
        c("30_44", Text::new("30–44岁", "30–44歲", "30–44")),
        c("45_59", Text::new("45–59岁", "45–59歲", "45–59")),
        c("60_plus", Text::new("60岁及以上", "60歲及以上", "60 or over")),
    ],
};

pub static GOAL: Question = Question {
    id: "goal",
    prompt: Text::new("这笔钱主要打算用来做什么？", "這筆錢主要打算用來做什麼？", "What is this money mainly for?"),
    choices: &[
        c("tuition", Text::new("子女教育金", "子女教育金", "Tuition savings")),
        c("emergency", Text::new("应急备用金", "應急備用金", "Emergency fund")),
        c("medical", Text::new("医疗储备", "醫療儲備", "Medical reserve")),
        c("idle_cash", Text::new("闲钱增值", "閒錢增值", "Idle cash")),
        c("retirement", Text::new("养老规划", "養老規劃", "Retirement")),
    ],
};

pub static HORIZON: Question = Question {
    id: "horizon",
    prompt: Text::new("这笔钱多久以后会用到？", "這筆錢多久以後會用到？", "When will you need this money?"),
    choices: &[
        c("lt_3m", Text::new("3个月内", "3個月內", "Within 3 months")),
        c("3_12m", Text::new("3–12个月", "3–12個月", "In 3–12 months")),
        c("1_3y", Text::new("1–3年", "1–3年", "In 1–3 years")),
        c("gt_3y", Text::new("3年以上", "3年以上", "After 3 years")),
    ],
};

pub static AMOUNT: Question = Question {
    id: "amount",
    prompt: Text::new("大概准备存入多少？", "大概準備存入多少？", "Roughly how much would you put in?"),
    choices: &[
        c("lt_10k", Text::new("1万元以下", "1萬元以下", "Under ¥10,000")),
        c("10k_50k", Text::new("1万–5万元", "1萬–5萬元", "¥10,000–50,000")),
        c("50k_200k", Text::new("5万–20万元", "5萬–20萬元", "¥50,000–200,000")),
        c("gt_200k", Text::new("20万元以上", "20萬元以上", "Over ¥200,000")),
    ],
};

pub static LOSS: Question = Question {
    id: "loss",
    prompt: Text::new(
        "如果投资一年后亏损10%，您会怎么做？",
        "如果投資一年後虧損10%，您會怎麼做？",
        "If an investment lost 10% in a year, what would you do?",
    ),
    choices: &[
        c("sell_all", Text::new("立刻全部卖出", "立刻全部賣出", "Sell everything at once")),
        c("sell_some", Text::new("卖出一部分", "賣出一部分", "Sell some of it")),
        c("hold", Text::new("继续持有", "繼續持有", "Hold and wait")),
        c("buy_more", Text::new("逢低加仓", "逢低加倉", "Buy more")),
    ],
};

/// The questions in the order the scene asks them. Every scene gathers the same facts; the
/// order and the opener follow what visitors of that scene come with.
pub fn script(scene: Scene) -> [&'static Question; 5] {
    match scene {
        Scene::Education => [&AGE, &GOAL, &HORIZON, &AMOUNT, &LOSS],
        Scene::Gaming => [&AGE, &AMOUNT, &GOAL, &HORIZON, &LOSS],
        Scene::Telehealth => [&AGE, &GOAL, &AMOUNT, &HORIZON, &LOSS],
    }
}

pub fn opener(scene: Scene) -> Text {
    match scene {
        Scene::Education => Text::new(
            "您好！想为孩子的学费早做准备吗？回答几个问题，看看哪些存款适合您。",
            "您好！想為孩子的學費早做準備嗎？回答幾個問題，看看哪些存款適合您。",
            "Hi! Planning ahead for tuition? Answer a few questions to see which savings fit you.",
        ),
        Scene::Gaming => Text::new(
            "嗨！钱包里的闲钱也能升级。30秒找到适合您的存款。",
            "嗨！錢包裡的閒錢也能升級。30秒找到適合您的存款。",
            "Hey! Your idle cash can level up too. Find a fitting deposit in 30 seconds.",
        ),
        Scene::Telehealth => Text::new(
            "您好！为健康留一笔储备金。回答几个问题，看看适合您的产品。",
            "您好！為健康留一筆儲備金。回答幾個問題，看看適合您的產品。",
            "Hello! Keep a reserve for your health. Answer a few questions to see what suits you.",
        ),
    }
}

pub fn question(id: &str) -> Option<&'static Question> {
    [&AGE, &GOAL, &HORIZON, &AMOUNT, &LOSS]
        .into_iter()
        .find(|q| q.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scene_asks_every_question_once() {
        for scene in Scene::ALL {
            let mut ids: Vec<_> = script(scene).iter().map(|q| q.id).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), 5, "{scene:?}");
            assert!(ids.iter().all(|id| question(id).is_some()));
        }
    }

    #[test]
    fn choice_ids_are_unique_within_a_question() {
        for q in script(Scene::Education) {
            let mut ids: Vec<_> = q.choices.iter().map(|c| c.id).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), q.choices.len(), "{}", q.id);
        }
    }
}
