//! Fact questions: what the money is for, when and how much, and who is asking.

use super::Question;
use crate::support::i18n::Text;

answers! {
    /// The visitor's age band. Minors are never leads; banks protect clients of 60 or over
    /// further (see [`crate::lead::profile`]).
    pub enum AgeBand for AGE {
        Under18 = "under_18": Text::new("18岁以下", "18歲以下", "Under 18"),
        From18To29 = "18_29": Text::new("18–29岁", "18–29歲", "18–29"),
        From30To44 = "30_44": Text::new("30–44岁", "30–44歲", "30–44"),
        From45To59 = "45_59": Text::new("45–59岁", "45–59歲", "45–59"),
        From60 = "60_plus": Text::new("60岁及以上", "60歲及以上", "60 or over"),
    }
}

pub static AGE: Question = Question {
    id: "age",
    prompt: Text::new(
        "先确认一下，您的年龄段是？",
        "先確認一下，您的年齡段是？",
        "First, which age band are you in?",
    ),
    choices: AgeBand::CHOICES,
};

answers! {
    /// What the money is for.
    pub enum Goal for GOAL {
        Tuition = "tuition": Text::new("子女教育金", "子女教育金", "Tuition savings"),
        Emergency = "emergency": Text::new("应急备用金", "應急備用金", "Emergency fund"),
        Medical = "medical": Text::new("医疗储备", "醫療儲備", "Medical reserve"),
        IdleCash = "idle_cash": Text::new("闲钱增值", "閒錢增值", "Idle cash"),
        Retirement = "retirement": Text::new("养老规划", "養老規劃", "Retirement"),
    }
}

pub static GOAL: Question = Question {
    id: "goal",
    prompt: Text::new(
        "这笔钱主要打算用来做什么？",
        "這筆錢主要打算用來做什麼？",
        "What is this money mainly for?",
    ),
    choices: Goal::CHOICES,
};

answers! {
    /// When the money will be needed.
    pub enum Horizon for HORIZON {
        Within3Months = "lt_3m": Text::new("3个月内", "3個月內", "Within 3 months"),
        Months3To12 = "3_12m": Text::new("3–12个月", "3–12個月", "In 3–12 months"),
        Years1To3 = "1_3y": Text::new("1–3年", "1–3年", "In 1–3 years"),
        Years3To5 = "3_5y": Text::new("3–5年", "3–5年", "In 3–5 years"),
        Over5Years = "gt_5y": Text::new("5年以上", "5年以上", "After 5 years"),
    }
}

impl Horizon {
    /// How long the money can stay put, in months: the band's upper end, and ten years for the
    /// open band.
    pub fn months(self) -> u16 {
        match self {
            Horizon::Within3Months => 3,
            Horizon::Months3To12 => 12,
            Horizon::Years1To3 => 36,
            Horizon::Years3To5 => 60,
            Horizon::Over5Years => 120,
        }
    }
}

pub static HORIZON: Question = Question {
    id: "horizon",
    prompt: Text::new(
        "这笔钱多久以后会用到？",
        "這筆錢多久以後會用到？",
        "When will you need this money?",
    ),
    choices: Horizon::CHOICES,
};

answers! {
    /// How much the visitor would put in.
    pub enum AmountBand for AMOUNT {
        Under1k = "lt_1k": Text::new("1千元以下", "1千元以下", "Under ¥1,000"),
        From1kTo10k = "1k_10k": Text::new("1千–1万元", "1千–1萬元", "¥1,000–10,000"),
        From10kTo50k = "10k_50k": Text::new("1万–5万元", "1萬–5萬元", "¥10,000–50,000"),
        From50kTo200k = "50k_200k": Text::new("5万–20万元", "5萬–20萬元", "¥50,000–200,000"),
        From200kTo1m = "200k_1m": Text::new("20万–100万元", "20萬–100萬元", "¥200,000–1,000,000"),
        Over1m = "gt_1m": Text::new("100万元以上", "100萬元以上", "Over ¥1,000,000"),
    }
}

impl AmountBand {
    /// The band's bounds in CNY: lower, and upper (`None` for the open top band).
    pub fn range_cny(self) -> (u64, Option<u64>) {
        match self {
            AmountBand::Under1k => (0, Some(1_000)),
            AmountBand::From1kTo10k => (1_000, Some(10_000)),
            AmountBand::From10kTo50k => (10_000, Some(50_000)),
            AmountBand::From50kTo200k => (50_000, Some(200_000)),
            AmountBand::From200kTo1m => (200_000, Some(1_000_000)),
            AmountBand::Over1m => (1_000_000, None),
        }
    }
}

pub static AMOUNT: Question = Question {
    id: "amount",
    prompt: Text::new(
        "大概准备存入多少？",
        "大概準備存入多少？",
        "Roughly how much would you put in?",
    ),
    choices: AmountBand::CHOICES,
};

answers! {
    /// Whether the money may be needed at short notice.
    pub enum Liquidity for LIQUIDITY {
        Anytime = "anytime": Text::new("随时可能要用", "隨時可能要用", "Yes, any time"),
        Maybe = "maybe": Text::new("偶尔可能", "偶爾可能", "Possibly"),
        Unlikely = "unlikely": Text::new("基本不会", "基本不會", "Unlikely"),
    }
}

pub static LIQUIDITY: Question = Question {
    id: "liquidity",
    prompt: Text::new(
        "这笔钱可能会临时急用吗？",
        "這筆錢可能會臨時急用嗎？",
        "Might you need this money at short notice?",
    ),
    choices: Liquidity::CHOICES,
};

answers! {
    /// Where the visitor lives; a product may be offered in some regions only (the
    /// catalogue's `regions` are these ids).
    pub enum Region for REGION {
        North = "north": Text::new("华北", "華北", "North China"),
        Northeast = "northeast": Text::new("东北", "東北", "Northeast China"),
        East = "east": Text::new("华东", "華東", "East China"),
        South = "south": Text::new("华南", "華南", "South China"),
        Central = "central": Text::new("华中", "華中", "Central China"),
        West = "west": Text::new("西部", "西部", "West China"),
    }
}

pub static REGION: Question = Question {
    id: "region",
    prompt: Text::new(
        "您目前在哪个地区？",
        "您目前在哪個地區？",
        "Which region do you live in?",
    ),
    choices: Region::CHOICES,
};

answers! {
    /// The household's financial assets.
    pub enum AssetBand for ASSETS {
        Under500k = "lt_500k": Text::new("50万元以下", "50萬元以下", "Under ¥500,000"),
        From500kTo3m = "500k_3m": Text::new("50万–300万元", "50萬–300萬元", "¥500,000–3,000,000"),
        From3m = "gt_3m": Text::new("300万元及以上", "300萬元及以上", "¥3,000,000 or more"),
    }
}

impl AssetBand {
    /// Financial assets of at least 3,000,000 CNY, the asset test for a qualified investor.
    pub fn qualifies(self) -> bool {
        match self {
            AssetBand::Under500k | AssetBand::From500kTo3m => false,
            AssetBand::From3m => true,
        }
    }
}

/// Qualified-investor status hinges on financial assets of at least 3,000,000 CNY.
pub static ASSETS: Question = Question {
    id: "assets",
    prompt: Text::new(
        "您的家庭金融资产（存款、理财、基金、股票等）大约有多少？",
        "您的家庭金融資產（存款、理財、基金、股票等）大約有多少？",
        "Roughly how much are your household's financial assets (deposits, funds, shares…)?",
    ),
    choices: AssetBand::CHOICES,
};
