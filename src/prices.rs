//! What Claude costs: the dated price table in `resources/prices.json`, and
//! estimates made from it.
//!
//! An estimate is only ever made from a price in the table: a model that
//! is not in it shows its tokens alone, never a guessed price.

use std::sync::OnceLock;

use serde::Deserialize;

/// Dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Rates {
    pub input: f64,
    pub output: f64,
    /// A 5-minute cache write.
    pub cache_write: f64,
    /// A cache hit.
    pub cache_read: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Price {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub rates: Rates,
}

#[derive(Debug, Deserialize)]
pub struct Table {
    /// The day the table was checked against Anthropic's pricing page.
    pub as_of: String,
    pub source: String,
    pub models: Vec<Price>,
}

/// The tokens of one request (or of many, added up), as the API counts
/// them: `input` excludes the cache's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tokens {
    pub input: u64,
    pub output: u64,
    pub cache_write: u64,
    pub cache_read: u64,
}

impl Tokens {
    /// All input, cached or not.
    pub fn all_input(&self) -> u64 {
        self.input + self.cache_write + self.cache_read
    }

    /// Input as billed, in full-price tokens: cache writes at 1.25×,
    /// reads at 0.1× (the ratios of every model in the table but Haiku 3).
    pub fn billed_input_equivalent(&self) -> f64 {
        self.input as f64 + self.cache_write as f64 * 1.25 + self.cache_read as f64 * 0.1
    }
}

impl std::ops::AddAssign for Tokens {
    fn add_assign(&mut self, other: Self) {
        self.input += other.input;
        self.output += other.output;
        self.cache_write += other.cache_write;
        self.cache_read += other.cache_read;
    }
}

pub fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        serde_json::from_str(include_str!("../resources/prices.json"))
            .expect("resources/prices.json is valid (a unit test reads it)")
    })
}

/// The price of `model`: its entry, or the entry it is a dated version of
/// (`claude-sonnet-4-5-20250929` is `claude-sonnet-4-5`). Only a date may
/// follow: `claude-opus-4-9` is not `claude-opus-4`, whose price may not be
/// its own.
pub fn price(model: &str) -> Option<&'static Price> {
    table().models.iter().find(|price| {
        model == price.id
            || model
                .strip_prefix(price.id.as_str())
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|date| date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// What `tokens` cost on `model`, in dollars; `None` when the table has no
/// price for it. (Standard prices: sums of many requests cost the same as
/// the requests one by one.)
pub fn cost(model: &str, tokens: Tokens) -> Option<f64> {
    let rates = price(model)?.rates;
    let million = 1_000_000.0;
    Some(
        (tokens.input as f64 * rates.input
            + tokens.output as f64 * rates.output
            + tokens.cache_write as f64 * rates.cache_write
            + tokens.cache_read as f64 * rates.cache_read)
            / million,
    )
}

/// "≈ $0.02", "< $0.01": an estimate, said as one.
pub fn about(amount: f64) -> String {
    let dollars = dollars(amount);
    if dollars.starts_with('<') {
        dollars
    } else {
        format!("≈ {dollars}")
    }
}

/// "$0.02", "$1.24", "< $0.01".
pub fn dollars(amount: f64) -> String {
    if amount > 0.0 && amount < 0.005 {
        "< $0.01".to_owned()
    } else if amount >= 100.0 {
        format!("${amount:.0}")
    } else {
        format!("${amount:.2}")
    }
}

/// 1240 → "1,240".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_and_is_dated() {
        let table = table();
        assert!(jiff::civil::Date::strptime("%Y-%m-%d", &table.as_of).is_ok());
        assert!(table.source.starts_with("https://platform.claude.com/"));
        assert!(table.models.len() >= 8);
        for price in table
            .models
            .iter()
            .filter(|price| price.id != "claude-3-haiku")
        {
            // Cache writes are 1.25× input, reads 0.1×, for every model
            // but Haiku 3 (whose older rates are $0.30 and $0.03).
            let rates = price.rates;
            assert!(
                (rates.cache_write - rates.input * 1.25).abs() < 1e-9,
                "{}",
                price.id
            );
            assert!(
                (rates.cache_read - rates.input * 0.1).abs() < 1e-9,
                "{}",
                price.id
            );
            assert!(rates.output > rates.input, "{}", price.id);
        }
    }

    #[test]
    fn dated_versions_match_their_entry_and_unknown_models_have_no_price() {
        assert_eq!(
            price("claude-sonnet-4-5").unwrap().name,
            "Claude Sonnet 4.5"
        );
        assert_eq!(
            price("claude-sonnet-4-5-20250929").unwrap().name,
            "Claude Sonnet 4.5"
        );
        assert_eq!(
            price("claude-opus-4-20250514").unwrap().name,
            "Claude Opus 4"
        );
        assert_eq!(
            price("claude-opus-4-1-20250805").unwrap().name,
            "Claude Opus 4.1"
        );
        assert_eq!(price("claude-haiku-4-5-20251001").unwrap().rates.input, 1.0);
        assert!(price("claude-opus-4-9").is_none(), "not Opus 4's price");
        assert!(price("claude-something-new").is_none());
        assert!(cost("claude-something-new", Tokens::default()).is_none());
    }

    #[test]
    fn costs_count_the_cache() {
        let tokens = Tokens {
            input: 1_000_000,
            output: 100_000,
            cache_write: 0,
            cache_read: 0,
        };
        let sonnet = cost("claude-sonnet-4-5", tokens).unwrap();
        assert!(
            (sonnet - (3.0 + 1.5)).abs() < 1e-9,
            "a month's sum, at the standard price"
        );
        let short = Tokens {
            input: 1_000,
            output: 1_000,
            cache_write: 10_000,
            cache_read: 100_000,
        };
        let expected = (1_000.0 * 3.0 + 1_000.0 * 15.0 + 10_000.0 * 3.75 + 100_000.0 * 0.3) / 1e6;
        assert!((cost("claude-sonnet-4-5", short).unwrap() - expected).abs() < 1e-12);
        assert_eq!(
            short.billed_input_equivalent(),
            1_000.0 + 12_500.0 + 10_000.0
        );
    }

    #[test]
    fn words() {
        assert_eq!(dollars(0.0217), "$0.02");
        assert_eq!(dollars(0.001), "< $0.01");
        assert_eq!(about(0.001), "< $0.01");
        assert_eq!(about(0.0217), "≈ $0.02");
        assert_eq!(dollars(0.0), "$0.00");
        assert_eq!(dollars(12.345), "$12.35");
        assert_eq!(thousands(1240), "1,240");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
