//! The panel's own wording; questions and reasons come from `inflow-core`, the banks' names and
//! consent text from the partner's offer (`config::Offer`).

use inflow_core::support::i18n::Text;
use inflow_core::Lang;

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
pub const LATER: Text = Text::new(
    "暂时无法提交，我们会自动重试。",
    "暫時無法提交，我們會自動重試。",
    "We couldn't send this just now; we'll keep trying.",
);
/// The site is not set up for the chat (the console says why, for its developer).
pub const CONSENT_CHANGED: Text = Text::new(
    "银行刚刚更新了同意条款，您的信息未被发送。请刷新页面，阅读新条款后再提交。",
    "銀行剛剛更新了同意條款，您的資訊未被發送。請重新整理頁面，閱讀新條款後再提交。",
    "The bank has just changed its consent wording, so nothing was sent. Reload the page to read the new wording and send again.",
);

pub const NOT_SET_UP: Text = Text::new(
    "此网站尚未开通本服务，您的信息未被发送。",
    "此網站尚未開通本服務，您的資訊未被發送。",
    "This site isn't set up for this service yet; nothing was sent.",
);
pub const RETRY: Text = Text::new("重试", "重試", "Try again");
pub const LANGUAGE: Text = Text::new("语言", "語言", "Language");
/// `{banks}`: the offer's banks as one phrase (see [`and_list`]).
pub const CONSENT_ASK: Text = Text::new(
    "需要{banks}的顾问联系您，详细介绍这些产品吗？",
    "需要{banks}的顧問聯繫您，詳細介紹這些產品嗎？",
    "Would you like an adviser from {banks} to contact you about these products?",
);
pub const AGREE: Text = Text::new("同意并留下联系方式", "同意並留下聯繫方式", "I agree, contact me");
pub const DECLINE: Text = Text::new("不用了，直接看结果", "不用了，直接看結果", "No thanks, show results");
pub const CONTACT_PROMPT: Text = Text::new("您的手机号或邮箱", "您的手機號或郵箱", "Your mobile number or e-mail");
pub const CONTACT_INVALID: Text = Text::new(
    "请输入11位手机号或有效的邮箱地址。",
    "請輸入11位手機號或有效的郵箱地址。",
    "Please enter an 11-digit mobile number or a valid e-mail address.",
);
pub const SEND: Text = Text::new("提交", "提交", "Send");
/// After the lead is answered: erase it (`POST /v1/leads/{id}/erasure`), and that it is done.
pub const ERASE: Text = Text::new("删除我的信息", "刪除我的資訊", "Delete my details");
pub const ERASED: Text = Text::new(
    "您的信息已删除。",
    "您的資訊已刪除。",
    "Your details have been deleted.",
);

/// Names as one phrase: "A", "A and B", "A, B and C"; in Chinese "A和B", "A、B和C".
pub fn and_list(names: &[&str], lang: Lang) -> String {
    let (comma, and) = match lang {
        Lang::En => (", ", " and "),
        _ => ("、", "和"),
    };
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == names.len() { and } else { comma });
        }
        out.push_str(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_join_as_a_phrase_in_each_language() {
        assert_eq!(and_list(&[], Lang::En), "");
        assert_eq!(and_list(&["Demo Bank"], Lang::En), "Demo Bank");
        assert_eq!(and_list(&["A", "B"], Lang::En), "A and B");
        assert_eq!(and_list(&["A", "B", "C"], Lang::En), "A, B and C");
        assert_eq!(and_list(&["示范银行", "港湾银行"], Lang::ZhHans), "示范银行和港湾银行");
        assert_eq!(and_list(&["甲", "乙", "丙"], Lang::ZhHant), "甲、乙和丙");
    }
}
