//! What the model looks at: the UCI Bank Marketing inputs, less `duration`.

use crate::lead::questionnaire::AgeBand;

/// Column names as in the UCI file, in the order the model indexes them. `duration` is absent on
/// purpose: it is only known once the call is over, and it all but gives the label away.
pub const FEATURE_NAMES: [&str; N_FEATURES] = [
    "age",
    "job",
    "marital",
    "education",
    "default",
    "housing",
    "loan",
    "contact",
    "month",
    "day_of_week",
    "campaign",
    "pdays",
    "previous",
    "poutcome",
    "emp.var.rate",
    "cons.price.idx",
    "cons.conf.idx",
    "euribor3m",
    "nr.employed",
];

pub const N_FEATURES: usize = 19;

/// Whether feature `i` (in [`FEATURE_NAMES`] order) is categorical.
pub fn is_categorical(i: usize) -> bool {
    matches!(i, 1..=9 | 13)
}

/// One person to score, in UCI terms.
///
/// Categorical fields hold the UCI spelling (`"admin."`, `"university.degree"`, `"may"`, …).
/// `Some("unknown")` is UCI's own category (the bank did not know, which itself predicts the
/// outcome), while `None`, or a value the model never saw, means *not asked*: the model then
/// averages over both sides of every split on that feature, weighted by how the training
/// population divided there. Numeric fields use `f32::NAN` for the same purpose.
///
/// # Mapping a chat lead ([`Features::chat_lead`])
///
/// The widget asks goal, horizon, amount band, risk questions and age band, not the bank's
/// telemarketing record, so a lead is mapped as follows:
///
/// | field | chat lead |
/// |---|---|
/// | age | midpoint of the age band ([`age_band_midpoint`]) |
/// | job, marital, education, default, housing, loan | not asked (`None`): marginalised, which is fairer than UCI's `"unknown"`, whose holders subscribe less often |
/// | contact | `"cellular"` (the visitor is on a phone or browser) |
/// | month, day_of_week | the current date; January, February and weekends never occur in UCI and are marginalised |
/// | campaign | 1 (first contact in this campaign) |
/// | pdays | 999 (never contacted before) |
/// | previous | 0 |
/// | poutcome | `"nonexistent"` |
/// | economic context | the operator's configuration ([`EconomicContext`]) |
///
/// The result ranks leads by how much they resemble people who took a term deposit in UCI's
/// campaigns; it is not a calibrated conversion rate for chat traffic.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    pub age: f32,
    pub job: Option<String>,
    pub marital: Option<String>,
    pub education: Option<String>,
    pub default: Option<String>,
    pub housing: Option<String>,
    pub loan: Option<String>,
    pub contact: Option<String>,
    pub month: Option<String>,
    pub day_of_week: Option<String>,
    pub campaign: f32,
    pub pdays: f32,
    pub previous: f32,
    pub poutcome: Option<String>,
    pub emp_var_rate: f32,
    pub cons_price_idx: f32,
    pub cons_conf_idx: f32,
    pub euribor3m: f32,
    pub nr_employed: f32,
}

/// One input as the model sees it before encoding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Num(f32),
    Cat(Option<&'a str>),
}

/// The macro-economic indicators UCI records for the month of the call. The edge takes them from
/// configuration (they change monthly or quarterly), not from the visitor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EconomicContext {
    /// Employment variation rate, quarterly.
    pub emp_var_rate: f32,
    /// Consumer price index, monthly.
    pub cons_price_idx: f32,
    /// Consumer confidence index, monthly.
    pub cons_conf_idx: f32,
    /// Euribor 3-month rate, daily.
    pub euribor3m: f32,
    /// Number of employees (thousands), quarterly.
    pub nr_employed: f32,
}

/// `ECONOMY` is not five comma-separated finite numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconomyError(pub String);

impl std::fmt::Display for EconomyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:?} is not emp_var_rate,cons_price_idx,cons_conf_idx,euribor3m,nr_employed",
            self.0
        )
    }
}

impl std::error::Error for EconomyError {}

/// The operator's `ECONOMY` setting: `"emp_var_rate,cons_price_idx,cons_conf_idx,euribor3m,nr_employed"`,
/// five finite numbers in UCI's units (spaces around them allowed), e.g. `"-1.1,94.767,-50.8,1.028,4963.6"`.
impl std::str::FromStr for EconomicContext {
    type Err = EconomyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = || EconomyError(s.into());
        let numbers = s
            .split(',')
            .map(|n| n.trim().parse::<f32>().ok().filter(|x| x.is_finite()))
            .collect::<Option<Vec<f32>>>()
            .ok_or_else(error)?;
        match numbers[..] {
            [emp_var_rate, cons_price_idx, cons_conf_idx, euribor3m, nr_employed] => Ok(EconomicContext {
                emp_var_rate,
                cons_price_idx,
                cons_conf_idx,
                euribor3m,
                nr_employed,
            }),
            _ => Err(error()),
        }
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Age to use for a questionnaire age band. The open top band gets 67, the middle of 60–74
/// where most of UCI's older clients are; minors are never scored (they are never leads).
pub fn age_band_midpoint(band: AgeBand) -> Option<f32> {
    match band {
        AgeBand::Under18 => None,
        AgeBand::From18To29 => Some(23.5),
        AgeBand::From30To44 => Some(37.0),
        AgeBand::From45To59 => Some(52.0),
        AgeBand::From60 => Some(67.0),
    }
}

impl Features {
    /// A chat lead mapped as the table on [`Features`] says. `month` is 1–12 and `weekday` 0
    /// (Monday) – 6 (Sunday): core has no clock, so the caller passes today's date. A missing
    /// age band (the anonymous lead) and an unknown month or weekday are marginalised rather
    /// than refused.
    pub fn chat_lead(age_band: Option<AgeBand>, month: u8, weekday: u8, econ: &EconomicContext) -> Features {
        let pick = |names: &[&str], i: u8| names.get(usize::from(i)).map(|s| s.to_string());
        Features {
            age: age_band.and_then(age_band_midpoint).unwrap_or(f32::NAN),
            contact: Some("cellular".into()),
            month: month.checked_sub(1).and_then(|m| pick(&MONTHS, m)),
            day_of_week: pick(&WEEKDAYS, weekday),
            campaign: 1.0,
            pdays: 999.0,
            previous: 0.0,
            poutcome: Some("nonexistent".into()),
            emp_var_rate: econ.emp_var_rate,
            cons_price_idx: econ.cons_price_idx,
            cons_conf_idx: econ.cons_conf_idx,
            euribor3m: econ.euribor3m,
            nr_employed: econ.nr_employed,
            // The client's profile (job, marital status, education, credit) is never asked.
            ..Features::missing()
        }
    }

    /// Feature `i` in [`FEATURE_NAMES`] order.
    pub fn value(&self, i: usize) -> Value<'_> {
        fn cat(c: &Option<String>) -> Value<'_> {
            Value::Cat(c.as_deref())
        }
        match i {
            0 => Value::Num(self.age),
            1 => cat(&self.job),
            2 => cat(&self.marital),
            3 => cat(&self.education),
            4 => cat(&self.default),
            5 => cat(&self.housing),
            6 => cat(&self.loan),
            7 => cat(&self.contact),
            8 => cat(&self.month),
            9 => cat(&self.day_of_week),
            10 => Value::Num(self.campaign),
            11 => Value::Num(self.pdays),
            12 => Value::Num(self.previous),
            13 => cat(&self.poutcome),
            14 => Value::Num(self.emp_var_rate),
            15 => Value::Num(self.cons_price_idx),
            16 => Value::Num(self.cons_conf_idx),
            17 => Value::Num(self.euribor3m),
            18 => Value::Num(self.nr_employed),
            _ => Value::Num(f32::NAN),
        }
    }

    /// Sets feature `i` from its textual form; what UCI parsing and tests build rows with.
    /// An empty field is missing; a numeric field that does not parse is an error.
    pub fn set(&mut self, i: usize, text: &str) -> Result<(), std::num::ParseFloatError> {
        let text = text.trim();
        let cat = || (!text.is_empty()).then(|| text.to_string());
        let num = || -> Result<f32, std::num::ParseFloatError> {
            if text.is_empty() {
                Ok(f32::NAN)
            } else {
                text.parse()
            }
        };
        match i {
            0 => self.age = num()?,
            1 => self.job = cat(),
            2 => self.marital = cat(),
            3 => self.education = cat(),
            4 => self.default = cat(),
            5 => self.housing = cat(),
            6 => self.loan = cat(),
            7 => self.contact = cat(),
            8 => self.month = cat(),
            9 => self.day_of_week = cat(),
            10 => self.campaign = num()?,
            11 => self.pdays = num()?,
            12 => self.previous = num()?,
            13 => self.poutcome = cat(),
            14 => self.emp_var_rate = num()?,
            15 => self.cons_price_idx = num()?,
            16 => self.cons_conf_idx = num()?,
            17 => self.euribor3m = num()?,
            18 => self.nr_employed = num()?,
            _ => {}
        }
        Ok(())
    }

    /// Everything missing: the starting point for [`Features::set`].
    pub fn missing() -> Features {
        Features {
            age: f32::NAN,
            job: None,
            marital: None,
            education: None,
            default: None,
            housing: None,
            loan: None,
            contact: None,
            month: None,
            day_of_week: None,
            campaign: f32::NAN,
            pdays: f32::NAN,
            previous: f32::NAN,
            poutcome: None,
            emp_var_rate: f32::NAN,
            cons_price_idx: f32::NAN,
            cons_conf_idx: f32::NAN,
            euribor3m: f32::NAN,
            nr_employed: f32::NAN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn economy_parses_five_finite_numbers_in_order() {
        let e: EconomicContext = " -1.1, 94.767,-50.8 ,1.028,4963.6".parse().expect("valid");
        assert_eq!(
            e,
            EconomicContext {
                emp_var_rate: -1.1,
                cons_price_idx: 94.767,
                cons_conf_idx: -50.8,
                euribor3m: 1.028,
                nr_employed: 4963.6,
            }
        );
        for bad in [
            "",
            "1,2,3,4",
            "1,2,3,4,5,6",
            "1,2,x,4,5",
            "1,2,,4,5",
            "1,2,NaN,4,5",
            "1,2,inf,4,5",
        ] {
            assert_eq!(bad.parse::<EconomicContext>(), Err(EconomyError(bad.into())), "{bad:?}");
        }
    }

    #[test]
    fn kinds_match_values() {
        let f = Features::missing();
        for (i, name) in FEATURE_NAMES.iter().enumerate() {
            assert_eq!(is_categorical(i), matches!(f.value(i), Value::Cat(_)), "{name}");
        }
    }

    #[test]
    fn set_then_value_round_trips() {
        let mut f = Features::missing();
        f.set(1, "admin.").expect("categorical");
        f.set(17, "4.857").expect("numeric");
        assert_eq!(f.value(1), Value::Cat(Some("admin.")));
        assert_eq!(f.value(17), Value::Num(4.857));
        assert!(f.set(0, "forty").is_err());
    }

    #[test]
    fn chat_lead_follows_the_documented_mapping() {
        let econ = EconomicContext {
            emp_var_rate: -1.8,
            cons_price_idx: 92.893,
            cons_conf_idx: -46.2,
            euribor3m: 1.3,
            nr_employed: 5099.1,
        };
        let f = Features::chat_lead(Some(AgeBand::From30To44), 5, 0, &econ);
        assert_eq!(f.age, 37.0);
        assert_eq!(f.job, None);
        assert_eq!(f.contact.as_deref(), Some("cellular"));
        assert_eq!(f.month.as_deref(), Some("may"));
        assert_eq!(f.day_of_week.as_deref(), Some("mon"));
        assert_eq!((f.campaign, f.pdays, f.previous), (1.0, 999.0, 0.0));
        assert_eq!(f.poutcome.as_deref(), Some("nonexistent"));
        let odd = Features::chat_lead(Some(AgeBand::Under18), 13, 9, &econ);
        assert!(odd.age.is_nan());
        assert_eq!((odd.month, odd.day_of_week), (None, None));
    }
}
