//! Published indicators: DfE's statistics for each LA against England, its region and
//! its statistical neighbours (issue 4, the intelligence view).
//!
//! - [`Definitions`]: which indicators there are and where in DfE's files each is read
//!   from, as data (`data/indicators/published.toml`, [`Definitions::bundled`]);
//! - [`Value`]: a published figure, or DfE's [`Symbol`] for one it withheld or that does
//!   not apply (`c`, `x`, `z`, `low`, ...), kept as such and never read as zero;
//! - [`PublishedStatistics`]: every value read from the files, keyed by indicator, area
//!   and year — what the reader produces and the store loads;
//! - [`compare`]: an LA's values beside England's, its region's and the average of its
//!   statistical neighbours, per indicator and year.

mod compare;
mod definition;
mod statistics;
mod value;

pub use compare::{compare, Comparison, NeighbourAverage};
pub use definition::{
    AreaCodeRule, DefinitionError, Definitions, Filter, Indicator, IndicatorId, IndicatorIdError,
    OnsRegion, Polarity, Source, Transform, Unit,
};
pub use statistics::{Observation, ObservationKey, PublishedStatistics, SourceFile};
pub use value::{Area, AreaError, Symbol, TimePeriod, Value, ValueError, ENGLAND_CODE};
