//! How each scene opens the chat and words its questions. Facts and scoring stay the same.

use super::{Question, AMOUNT, GOAL, LIQUIDITY};
use crate::lead::scene::Scene;
use crate::support::i18n::Text;

pub fn opener(scene: Scene) -> Text {
    match scene {
        Scene::Education => Text::new(
            "您好！想为孩子的学费早做准备吗？回答几个问题，看看哪些存款适合您。",
            "您好！想為孩子的學費早做準備嗎？回答幾個問題，看看哪些存款適合您。",
            "Hi! Planning ahead for tuition? Answer a few questions to see which savings fit you.",
        ),
        Scene::Gaming => Text::new(
            "嗨！钱包里的闲钱也能升级。1分钟找到适合您的存款。",
            "嗨！錢包裡的閒錢也能升級。1分鐘找到適合您的存款。",
            "Hey! Your idle cash can level up too. Find a fitting deposit in a minute.",
        ),
        Scene::Telehealth => Text::new(
            "您好！为健康留一笔储备金。回答几个问题，看看适合您的产品。",
            "您好！為健康留一筆儲備金。回答幾個問題，看看適合您的產品。",
            "Hello! Keep a reserve for your health. Answer a few questions to see what suits you.",
        ),
    }
}

/// A scene's own wording for a question, where it has one.
pub(super) fn prompt(scene: Scene, q: &'static Question) -> Option<Text> {
    let text = match (scene, q.id) {
        (Scene::Education, id) if id == GOAL.id => Text::new(
            "这笔钱是为孩子的教育准备，还是有别的打算？",
            "這筆錢是為孩子的教育準備，還是有別的打算？",
            "Is this money for your child's education, or something else?",
        ),
        (Scene::Gaming, id) if id == AMOUNT.id => Text::new(
            "钱包里大概有多少闲钱？",
            "錢包裡大概有多少閒錢？",
            "How much idle cash is sitting in your wallet?",
        ),
        (Scene::Gaming, id) if id == GOAL.id => Text::new(
            "想让这笔闲钱做什么？",
            "想讓這筆閒錢做什麼？",
            "What should that idle cash do for you?",
        ),
        (Scene::Telehealth, id) if id == LIQUIDITY.id => Text::new(
            "看病就医常常说来就来，这笔钱可能需要随时取用吗？",
            "看病就醫常常說來就來，這筆錢可能需要隨時取用嗎？",
            "Medical bills can come at any time. Might you need this money at short notice?",
        ),
        (Scene::Telehealth, id) if id == GOAL.id => Text::new(
            "这笔钱是做医疗储备，还是另有用途？",
            "這筆錢是做醫療儲備，還是另有用途？",
            "Is this a medical reserve, or for something else?",
        ),
        _ => return None,
    };
    Some(text)
}
