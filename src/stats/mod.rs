//! Statistics over runs. Runs stream into an [`Accumulator`] whose parts are integer counts and
//! sums, so that any split of runs over threads, merged in any order, gives the same bits; its
//! size depends on the scenario, never on the number of runs. The summaries (means with 95 %
//! intervals, quantiles, probabilities) are read off it at the end.

mod accumulator;
mod histogram;
mod moments;
mod paired;

pub use accumulator::{Accumulator, DailyStats, DemandSummary, Estimate, SiteSummary};
pub use histogram::{BINS as HISTOGRAM_BINS, Histograms};
pub use moments::{Moments, thousandths, wilson95};
pub use paired::{Difference, Metric, Paired};
