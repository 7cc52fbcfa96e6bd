//! The generators' random numbers: SplitMix64, small, fast and the same on every
//! platform, so a seed always gives the same workbook.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Steele, Lea and Flood's SplitMix64.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    /// A generator for one part of the output (a list, a kind of record), so that
    /// changing how one part is made leaves the others as they were.
    pub(crate) fn derive(seed: u64, part: &str) -> SplitMix64 {
        // FNV-1a of the part's name, mixed with the seed.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in part.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        let mut rng = SplitMix64(seed ^ h);
        rng.next();
        rng
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0 to n - 1 (0 when n is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next() % n as u64) as usize
    }

    /// lo to hi inclusive.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An index into `weights`, each chosen in proportion to its weight.
    pub(crate) fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Any date from 2006 to 2025 (the unlinked generator's dates).
    pub(crate) fn date(&mut self) -> NaiveDate {
        let start = NaiveDate::from_ymd_opt(2006, 1, 1).expect("a valid date");
        start + Days::new(self.below(20 * 365) as u64)
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }

    /// Exactly `round(share * n)` of `n` flags set, in a random order: a rate that
    /// comes out as asked rather than near it by chance.
    pub(crate) fn quota(&mut self, n: usize, share: f64) -> Vec<bool> {
        let k = ((share.clamp(0.0, 1.0) * n as f64).round() as usize).min(n);
        let mut flags: Vec<bool> = (0..n).map(|i| i < k).collect();
        self.shuffle(&mut flags);
        flags
    }

    /// A day from `from` to `to` inclusive, weekdays about six times as likely as a
    /// weekend day (contacts, referrals and meetings happen on working days).
    pub(crate) fn workday_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0);
        for _ in 0..4 {
            let d = from + Days::new(self.range(0, span) as u64);
            if is_weekday(d) || self.chance(0.15) {
                return d;
            }
        }
        from + Days::new(self.range(0, span) as u64)
    }
}

pub(crate) fn is_weekday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The date `n` weekdays after `d` (`d` itself not counted). Bank holidays are not
/// known here; the generator keeps late dates a few days clear of a limit, so that a
/// count that also skips bank holidays (at most three in any few weeks) still finds them
/// late.
pub(crate) fn add_weekdays(d: NaiveDate, n: u32) -> NaiveDate {
    let mut date = d;
    let mut left = n;
    while left > 0 {
        date = date + Days::new(1);
        if is_weekday(date) {
            left -= 1;
        }
    }
    date
}

/// The date `n` weekdays before `d`.
pub(crate) fn sub_weekdays(d: NaiveDate, n: u32) -> NaiveDate {
    let mut date = d;
    let mut left = n;
    while left > 0 {
        date = date - Days::new(1);
        if is_weekday(date) {
            left -= 1;
        }
    }
    date
}

pub(crate) fn plus_days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d + Days::new(n as u64)
    } else {
        d - Days::new(n.unsigned_abs())
    }
}

/// Whole years from `dob` to `on`.
pub(crate) fn age_on(dob: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// The date `years` years after `d` (29 February becomes 28 February).
pub(crate) fn plus_years(d: NaiveDate, years: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year() + years, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(d.year() + years, d.month(), 28))
        .expect("a valid date")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_are_exact_and_weekdays_skip_weekends() {
        let mut rng = SplitMix64(7);
        let flags = rng.quota(1000, 0.226);
        assert_eq!(flags.iter().filter(|f| **f).count(), 226);
        let friday = NaiveDate::from_ymd_opt(2025, 3, 28).unwrap();
        assert_eq!(
            add_weekdays(friday, 1),
            NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()
        );
        assert_eq!(sub_weekdays(add_weekdays(friday, 17), 17), friday);
        let dob = NaiveDate::from_ymd_opt(2010, 4, 1).unwrap();
        assert_eq!(
            age_on(dob, NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()),
            14
        );
        assert_eq!(
            age_on(dob, NaiveDate::from_ymd_opt(2025, 4, 1).unwrap()),
            15
        );
    }
}
