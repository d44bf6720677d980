//! The suitability questionnaire: six scored items whose points add up to a risk tolerance.
//!
//! Scoring follows the shape of the questionnaires Chinese banks and securities firms use under
//! the suitability rules (适当性管理办法): each answer carries points, the sum maps onto C1–C5 by
//! fixed thresholds, and one answer can cap the result whatever the sum.
//!
//! | sum of points (6–27) | tolerance |
//! |---|---|
//! | 6–9   | C1 conservative |
//! | 10–13 | C2 cautious |
//! | 14–18 | C3 balanced |
//! | 19–22 | C4 growth |
//! | 23–27 | C5 aggressive |
//!
//! Caps: a visitor who accepts no loss at all is C1 whatever else they said. Caps that come
//! from facts (horizon, age) are applied in [`crate::lead::profile`].

use super::Question;
use crate::lead::profile::RiskTolerance;
use crate::support::i18n::Text;

answers! {
    /// What investing the visitor has done.
    pub enum Experience for EXPERIENCE {
        Never = "none" (1): Text::new("没有", "沒有", "None"),
        Deposits = "deposits" (2): Text::new("只存过款", "只存過款", "Only bank deposits"),
        FundsShort = "funds_short" (3): Text::new(
            "买过基金或债券，不到2年",
            "買過基金或債券，不到2年",
            "Funds or bonds, under 2 years",
        ),
        FundsLong = "funds_long" (4): Text::new("基金或债券2年以上", "基金或債券2年以上", "Funds or bonds, 2+ years"),
        Stocks = "stocks" (5): Text::new("股票、期货等5年以上", "股票、期貨等5年以上", "Shares or futures, 5+ years"),
    }
}

impl Experience {
    /// At least two years of investing, the experience test for a qualified investor.
    pub fn two_years_or_more(self) -> bool {
        match self {
            Experience::Never | Experience::Deposits | Experience::FundsShort => false,
            Experience::FundsLong | Experience::Stocks => true,
        }
    }
}

pub static EXPERIENCE: Question = Question {
    id: "experience",
    prompt: Text::new(
        "您有哪些投资经验？",
        "您有哪些投資經驗？",
        "What investing have you done?",
    ),
    choices: Experience::CHOICES,
};

answers! {
    /// How well the visitor knows financial products.
    pub enum Knowledge for KNOWLEDGE {
        Little = "little" (1): Text::new("了解很少", "了解很少", "Very little"),
        Basic = "basic" (2): Text::new(
            "知道存款和理财的区别",
            "知道存款和理財的區別",
            "I know deposits from investments",
        ),
        Good = "good" (3): Text::new(
            "了解基金、债券的风险",
            "了解基金、債券的風險",
            "I understand fund and bond risks",
        ),
        Expert = "expert" (4): Text::new("专业或从业经验", "專業或從業經驗", "Professional knowledge"),
    }
}

pub static KNOWLEDGE: Question = Question {
    id: "knowledge",
    prompt: Text::new(
        "您对金融产品的了解程度？",
        "您對金融產品的了解程度？",
        "How well do you know financial products?",
    ),
    choices: Knowledge::CHOICES,
};

answers! {
    /// The visitor's income; the propensity model also reads it (see [`crate::lead::engine::features`]).
    pub enum Income for INCOME {
        NoRegular = "none" (1): Text::new("暂无固定收入", "暫無固定收入", "No regular income"),
        Unstable = "unstable" (2): Text::new("有收入但不稳定", "有收入但不穩定", "Irregular"),
        Stable = "stable" (3): Text::new("稳定", "穩定", "Stable"),
        Growing = "growing" (4): Text::new("稳定且在增长", "穩定且在增長", "Stable and growing"),
    }
}

pub static INCOME: Question = Question {
    id: "income",
    prompt: Text::new("您的收入情况是？", "您的收入情況是？", "How is your income?"),
    choices: Income::CHOICES,
};

answers! {
    /// What matters most to the visitor.
    pub enum Objective for OBJECTIVE {
        Preserve = "preserve" (1): Text::new("本金安全", "本金安全", "Keeping my capital safe"),
        Income = "income" (2): Text::new("稳定的收益", "穩定的收益", "A steady return"),
        Balanced = "balanced" (3): Text::new("收益和风险平衡", "收益和風險平衡", "Balance of return and risk"),
        Growth = "growth" (4): Text::new("较高的长期增长", "較高的長期增長", "Higher long-term growth"),
        Aggressive = "aggressive" (5): Text::new(
            "追求高收益，能承受大波动",
            "追求高收益，能承受大波動",
            "High returns, big swings are fine",
        ),
    }
}

pub static OBJECTIVE: Question = Question {
    id: "objective",
    prompt: Text::new("您最看重的是？", "您最看重的是？", "What matters most to you?"),
    choices: Objective::CHOICES,
};

answers! {
    /// The largest loss the visitor could accept; accepting none caps the tolerance at C1.
    pub enum MaxLoss for MAX_LOSS {
        NoLoss = "none" (1): Text::new("不能接受亏损", "不能接受虧損", "No loss at all"),
        UpTo5 = "up_to_5" (2): Text::new("5%以内", "5%以內", "Up to 5%"),
        UpTo15 = "up_to_15" (3): Text::new("15%以内", "15%以內", "Up to 15%"),
        UpTo30 = "up_to_30" (4): Text::new("30%以内", "30%以內", "Up to 30%"),
        Over30 = "over_30" (5): Text::new("30%以上也可以", "30%以上也可以", "More than 30%"),
    }
}

pub static MAX_LOSS: Question = Question {
    id: "max_loss",
    prompt: Text::new(
        "您最多能接受多大的亏损？",
        "您最多能接受多大的虧損？",
        "What is the largest loss you could accept?",
    ),
    choices: MaxLoss::CHOICES,
};

answers! {
    /// What the visitor would do after a 10% loss.
    pub enum LossReaction for LOSS {
        SellAll = "sell_all" (1): Text::new("立刻全部卖出", "立刻全部賣出", "Sell everything at once"),
        SellSome = "sell_some" (2): Text::new("卖出一部分", "賣出一部分", "Sell some of it"),
        Hold = "hold" (3): Text::new("继续持有", "繼續持有", "Hold and wait"),
        BuyMore = "buy_more" (4): Text::new("逢低加仓", "逢低加倉", "Buy more"),
    }
}

pub static LOSS: Question = Question {
    id: "loss",
    prompt: Text::new(
        "如果投资一年后亏损10%，您会怎么做？",
        "如果投資一年後虧損10%，您會怎麼做？",
        "If an investment lost 10% in a year, what would you do?",
    ),
    choices: LossReaction::CHOICES,
};

pub const SUITABILITY_ITEMS: [&Question; 6] = [&EXPERIENCE, &KNOWLEDGE, &INCOME, &OBJECTIVE, &MAX_LOSS, &LOSS];

/// The points a visitor scored, and whether an answer caps the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreCard {
    pub points: u8,
    pub accepts_no_loss: bool,
}

/// Maps a score card onto C1–C5 by the thresholds in the module documentation.
pub fn tolerance(card: ScoreCard) -> RiskTolerance {
    if card.accepts_no_loss {
        return RiskTolerance::C1;
    }
    let level = match card.points {
        0..=9 => 1,
        10..=13 => 2,
        14..=18 => 3,
        19..=22 => 4,
        _ => 5,
    };
    RiskTolerance::new(level).unwrap_or(RiskTolerance::C1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extreme(pick: fn(&'static [super::super::Choice]) -> u8) -> u8 {
        SUITABILITY_ITEMS.iter().map(|q| pick(q.choices)).sum()
    }

    #[test]
    fn score_range_spans_all_five_levels() {
        let min = extreme(|cs| cs.iter().map(|c| c.score).min().unwrap_or(0));
        let max = extreme(|cs| cs.iter().map(|c| c.score).max().unwrap_or(0));
        assert_eq!((min, max), (6, 27));
        let levels: Vec<u8> = (min..=max)
            .map(|points| {
                tolerance(ScoreCard {
                    points,
                    accepts_no_loss: false,
                })
                .level()
            })
            .collect();
        assert_eq!(levels.first(), Some(&1));
        assert_eq!(levels.last(), Some(&5));
        assert!(levels.windows(2).all(|w| w[0] <= w[1]), "monotone");
        for l in 1..=5 {
            assert!(levels.contains(&l), "C{l} reachable");
        }
    }

    #[test]
    fn accepting_no_loss_caps_at_c1() {
        let card = ScoreCard {
            points: 27,
            accepts_no_loss: true,
        };
        assert_eq!(tolerance(card), RiskTolerance::C1);
    }
}
