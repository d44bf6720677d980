//! Every word the dashboard shows, in English and Simplified Chinese.

use inflow_core::report::tags::Tag;
use inflow_core::report::{labels, GroupBy};

use crate::types::{Amount, Lang, LoadError, Metric};

#[derive(Debug, Clone, Copy)]
pub struct T {
    pub en: &'static str,
    pub zh: &'static str,
}

impl T {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::ZhHans => self.zh,
        }
    }
}

const fn t(en: &'static str, zh: &'static str) -> T {
    T { en, zh }
}

pub const TITLE: T = t("inflow reports", "inflow 数据报表");
pub const LANGUAGE: T = t("Language", "语言");
pub const KEY: T = t("Report key", "报表密钥");
pub const REMEMBER: T = t(
    "Remember the key in this tab until it is closed",
    "在此标签页关闭前记住密钥",
);
pub const FROM: T = t("From", "开始日期");
pub const TO: T = t("To", "结束日期");
pub const TIMEZONE: T = t("Timezone", "时区");
pub const LOAD: T = t("Load report", "加载报表");
pub const LOADING: T = t("Loading…", "加载中…");
pub const IDLE: T = t(
    "Enter your report key, pick the dates and load the report.",
    "请输入报表密钥，选择日期后加载报表。",
);
pub const TOTALS: T = t("Totals", "汇总");
pub const FUNNEL: T = t("Funnel", "转化漏斗");
pub const OF_PREVIOUS: T = t("In brackets: the share of the step before.", "括号内为占上一步的比例。");
pub const PER_DAY: T = t("Clicks and conversions per day", "每日点击与转化");
pub const NUMBERS_BY_DAY: T = t("The numbers, day by day", "每日明细");
pub const DAY: T = t("Day", "日期");
pub const BY_SCENE: T = t("By scene", "按场景");
pub const BY_PRODUCT: T = t("By product", "按产品");
pub const BY_PARTNER: T = t("By partner", "按合作方");
pub const BY_SUB_ID: T = t("By sub-id", "按子渠道");
pub const SUB_ID: T = t("Sub-id", "子渠道");
pub const SCENE: T = t("Scene", "场景");
pub const PRODUCT: T = t("Product", "产品");
pub const PARTNER: T = t("Partner", "合作方");
pub const NO_PRODUCT: T = t("(before a product was shown)", "（尚未展示产品）");
pub const NO_ROWS: T = t("No activity in this range.", "此时间段内没有数据。");
pub const DROP_OFF: T = t("Where chats stop", "对话流失");
pub const QUESTION: T = t("Question", "问题");
pub const REACHED: T = t("AnswerCount", "回答数");
pub const OF_OPENED: T = t("Of chats opened", "占打开对话");
pub const OPENED: T = t("Chats opened", "打开对话");
pub const CSV_ROWS: T = t("CSV rows by", "CSV 分组");
pub const DOWNLOAD: T = t("Download CSV", "下载 CSV");
pub const DOWNLOADED: T = t("CSV downloaded.", "CSV 已下载。");
pub const VIEWS: T = t("Views", "视图");
pub const REPORT_VIEW: T = t("Report", "报表");
pub const STATEMENTS: T = t("Statements", "结算单");
pub const STATEMENTS_NOTE: T = t(
    "Month by month in the bank's time zone, by the date money moved. Closing = opening + released − clawed back; it is payable once it reaches the bank's minimum payout, else it carries into the next month. An open month can still change; a closed one never does.",
    "按银行时区的自然月、按资金变动日期结算。期末余额 = 期初余额 + 已释放 − 已追回；达到银行最低付款额即应付，否则结转至下月。未结账月份仍可能变化，已结账月份不再变化。",
);
pub const NO_STATEMENTS: T = t("No statements yet.", "暂无结算单。");
pub const PERIOD: T = t("Month", "月份");
pub const BANK: T = t("Bank", "银行");
pub const CURRENCY: T = t("Currency", "币种");
pub const STATE: T = t("State", "状态");
pub const REFERENCE: T = t("Payment reference", "付款参考号");

/// A statement's money column.
pub fn amount(a: Amount) -> T {
    match a {
        Amount::Opening => t("Opening", "期初余额"),
        Amount::Released => t("Released", "已释放"),
        Amount::ClawedBack => t("Clawed back", "已追回"),
        Amount::Closing => t("Closing", "期末余额"),
        Amount::Payable => t("Payable", "应付"),
        Amount::Carry => t("Carried forward", "结转"),
    }
}

/// A period's state (`open`, `closed`, `paid`, as the API names it).
pub fn period_state(state: &str) -> T {
    match state {
        "open" => t("Open", "未结账"),
        "closed" => t("Closed", "已结账"),
        "paid" => t("Paid", "已付款"),
        _ => t("Unknown", "未知"),
    }
}

pub fn metric(m: Metric) -> T {
    match m {
        Metric::Impressions => t("Impressions", "曝光"),
        Metric::ChatsOpened => t("Chats opened", "打开对话"),
        Metric::QualifiedLeads => t("Qualified leads", "合格线索"),
        Metric::RecommendationsShown => t("Recommendations shown", "推荐展示"),
        Metric::Clicks => t("Clicks", "点击"),
        Metric::Conversions => t("Conversions", "转化"),
        Metric::ConversionValue => t("Conversion value", "转化金额"),
        Metric::PayoutPending => t("Payout pending", "待审核佣金"),
        Metric::PayoutApproved => t("Payout approved", "已批准佣金"),
        Metric::PayoutHeld => t("Payout held", "冻结佣金"),
        Metric::PayoutReversed => t("Payout reversed", "已冲回佣金"),
        Metric::PayoutAccrued => t("Payout accrued", "已计提佣金"),
        Metric::PayoutReleased => t("Payout released", "已放行佣金"),
        Metric::PayoutVoided => t("Payout voided", "已作废佣金"),
        Metric::PayoutClawedBack => t("Payout clawed back", "已追回佣金"),
        Metric::ConversionRate => t("Conversion rate", "转化率"),
        Metric::EarningsPerClick => t("Earnings per click", "每次点击收益"),
    }
}

/// Grouping names, for the CSV picker.
pub fn grouping(g: GroupBy) -> T {
    match g {
        GroupBy::Day => t("day", "按日"),
        GroupBy::Scene => t("scene", "按场景"),
        GroupBy::Product => t("product", "按产品"),
        GroupBy::Campaign => t("campaign", "按推广活动"),
        GroupBy::Partner => t("partner", "按合作方"),
        GroupBy::Tag(Tag::SubId) => t("sub-id", "按子渠道"),
        GroupBy::Tag(Tag::UtmSource) => t("utm_source", "按来源 (utm_source)"),
        GroupBy::Tag(Tag::UtmCampaign) => t("utm_campaign", "按活动 (utm_campaign)"),
    }
}

/// A core text in the dashboard's two languages.
const fn from_core(text: inflow_core::support::i18n::Text) -> T {
    t(text.en, text.zh_hans)
}

/// Scene ids as partners call them (`inflow_core::report::labels`); unknown ids are shown as
/// they are.
pub fn scene(id: &str) -> Option<T> {
    inflow_core::Scene::parse(id).map(|s| from_core(labels::scene(s)))
}

/// Short names for the questionnaire's question ids (`inflow_core::report::labels`).
pub fn question(id: &str) -> Option<T> {
    labels::question(id).map(from_core)
}

pub fn error(e: &LoadError, lang: Lang) -> String {
    let zh = lang == Lang::ZhHans;
    match e {
        LoadError::Unauthorized if zh => "无法识别此报表密钥，请检查后重试。".into(),
        LoadError::Unauthorized => "This report key was not recognised. Check it and try again.".into(),
        LoadError::Forbidden if zh => "此密钥无权查看该报表。".into(),
        LoadError::Forbidden => "This key may not see that report.".into(),
        LoadError::Invalid(d) if zh => format!("请求被拒绝：{d}"),
        LoadError::Invalid(d) => format!("The request was refused: {d}"),
        LoadError::Network if zh => "无法连接报表服务，请检查网络后重试。".into(),
        LoadError::Network => "The report service could not be reached. Check the connection and try again.".into(),
        LoadError::Server(s) if zh => format!("报表服务出错（HTTP {s}），请稍后重试。"),
        LoadError::Server(s) => format!("The report service failed (HTTP {s}). Try again shortly."),
        LoadError::Range if zh => "开始日期不能晚于结束日期。".into(),
        LoadError::Range => "The start date must not be after the end date.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_question_has_a_short_name() {
        for q in inflow_core::lead::questionnaire::ALL {
            assert!(question(q.id).is_some(), "{}", q.id);
        }
        for s in inflow_core::Scene::ALL {
            assert!(scene(s.as_str()).is_some(), "{s:?}");
        }
    }
}
