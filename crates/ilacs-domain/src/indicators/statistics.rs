//! Every published value read from DfE's files: what the reader produces and the store
//! loads.

use super::definition::IndicatorId;
use super::value::{Area, TimePeriod, Value};
use std::collections::BTreeMap;

/// What a value is of: one indicator, one area, one year.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObservationKey {
    pub indicator: IndicatorId,
    pub area: Area,
    pub time_period: TimePeriod,
}

/// One value with what it is of.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub indicator: IndicatorId,
    pub time_period: TimePeriod,
    pub area: Area,
    pub value: Value,
}

/// A file the values were read from, with how many data rows it had and how many
/// values were taken from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub rows: u64,
    pub values: u64,
}

/// Published values, at most one per indicator, area and year, with the files they came
/// from and notes on rows read deliberately in a particular way (shared figures, rows
/// not loaded) for whoever ran the import to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PublishedStatistics {
    values: BTreeMap<ObservationKey, Value>,
    pub files: Vec<SourceFile>,
    pub notes: Vec<String>,
}

impl PublishedStatistics {
    /// Adds a value; if the key already had one, keeps the first and returns the new one
    /// back, so the caller can report the clash.
    pub fn insert(&mut self, key: ObservationKey, value: Value) -> Result<(), Value> {
        match self.values.entry(key) {
            std::collections::btree_map::Entry::Occupied(_) => Err(value),
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(value);
                Ok(())
            }
        }
    }

    pub fn get(&self, key: &ObservationKey) -> Option<Value> {
        self.values.get(key).copied()
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Every value, by indicator, area, then year.
    pub fn iter(&self) -> impl Iterator<Item = (&ObservationKey, Value)> + '_ {
        self.values.iter().map(|(k, v)| (k, *v))
    }

    /// Every value as an [`Observation`].
    pub fn observations(&self) -> impl Iterator<Item = Observation> + '_ {
        self.iter().map(|(k, value)| Observation {
            indicator: k.indicator.clone(),
            time_period: k.time_period.clone(),
            area: k.area.clone(),
            value,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authority::LaCode;

    #[test]
    fn the_first_value_for_a_key_stays() {
        let key = ObservationKey {
            indicator: IndicatorId::parse("a").unwrap(),
            area: Area::La(LaCode::parse("301").unwrap()),
            time_period: TimePeriod::parse("2025").unwrap(),
        };
        let mut stats = PublishedStatistics::default();
        assert!(stats.is_empty());
        assert_eq!(stats.insert(key.clone(), Value::Number(1.0)), Ok(()));
        assert_eq!(
            stats.insert(key.clone(), Value::Number(2.0)),
            Err(Value::Number(2.0))
        );
        assert_eq!(stats.get(&key), Some(Value::Number(1.0)));
        assert_eq!(stats.len(), 1);
        assert_eq!(stats.observations().next().unwrap().area, key.area);
    }
}
