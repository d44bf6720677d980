//! The panel's own wording; questions and reasons come from `inflow-core`.

use inflow_core::i18n::Text;

pub const TITLE: Text = Text::new("存款小助手", "存款小助手", "Savings helper");
pub const STEP: Text = Text::new("第 {n}/{m} 步", "第 {n}/{m} 步", "Step {n} of {m}");
pub const CLOSE: Text = Text::new("关闭", "關閉", "Close");
pub const RESTART: Text = Text::new("重新开始", "重新開始", "Start over");
pub const APPLY: Text = Text::new("去银行办理", "去銀行辦理", "Apply at the bank");
pub const THINKING: Text = Text::new("正在为您挑选…", "正在為您挑選…", "Finding products for you…");
pub const RESULTS: Text = Text::new(
    "根据您的回答（风险承受能力 {c}），这些产品适合您：",
    "根據您的回答（風險承受能力 {c}），這些產品適合您：",
    "Based on your answers (risk tolerance {c}), these fit you:",
);
pub const NONE_FIT: Text = Text::new(
    "暂时没有完全适合您的产品。",
    "暫時沒有完全適合您的產品。",
    "No product fits you right now.",
);
pub const INELIGIBLE: Text = Text::new(
    "谢谢！我们的产品仅面向18岁及以上的访客，您的信息不会被发送。",
    "謝謝！我們的產品僅面向18歲及以上的訪客，您的資訊不會被發送。",
    "Thanks! Our products are for visitors aged 18 or over, so nothing was sent.",
);
pub const OFFLINE: Text = Text::new(
    "网络似乎断开了，请稍后重试。",
    "網絡似乎斷開了，請稍後重試。",
    "The network seems to be down. Please try again shortly.",
);
pub const REFUSED: Text = Text::new(
    "抱歉，出了点问题：",
    "抱歉，出了點問題：",
    "Sorry, something went wrong: ",
);
pub const RETRY: Text = Text::new("重试", "重試", "Try again");
pub const LANGUAGE: Text = Text::new("语言", "語言", "Language");
