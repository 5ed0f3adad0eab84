//! What was observed, as targets a scenario's runs can be scored against. An observations file
//! lists targets (`first_shortage_day` at Bamako between two dates, trucks lost at a blockade in
//! a window, …), each a statistic over runs that should fall in a band [low, high]. `load` reads
//! and checks the file against a scenario; `score` turns each run into the targets' per-run
//! values and accumulates them exactly, so that `hindcast` and `calibrate` read the same
//! statistics off any number of runs, threads or parameter sets.

mod load;
mod score;

pub use load::{ObservationError, load_observations, parse_observations};
pub use score::{Score, TargetAccs};

use crate::blockade::BlockadeId;
use crate::scenario::DemandId;

/// The quantity a target measures, each a statistic over runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// Median first shortage day at the node, over the runs that have one.
    FirstShortageDay,
    /// Share of runs whose first shortage at the node is on or before `to`.
    PShortageBy,
    /// Mean over runs of the share of days in [from, to] with a shortage at the node.
    ShareShortDays,
    /// Median over runs of the trucks lost in [from, to] at the site (everywhere without one).
    TrucksLost,
    /// Median over runs of the fuel delivered to the node in [from, to].
    DeliveredM3,
    /// Median over runs of the stock at the node at the end of day `to`.
    StockM3,
}

impl Quantity {
    pub const NAMES: [&'static str; 6] =
        ["first_shortage_day", "p_shortage_by", "share_short_days", "trucks_lost", "delivered_m3", "stock_m3"];

    pub fn parse(s: &str) -> Option<Quantity> {
        Some(match s {
            "first_shortage_day" => Quantity::FirstShortageDay,
            "p_shortage_by" => Quantity::PShortageBy,
            "share_short_days" => Quantity::ShareShortDays,
            "trucks_lost" => Quantity::TrucksLost,
            "delivered_m3" => Quantity::DeliveredM3,
            "stock_m3" => Quantity::StockM3,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// Whether the target needs a demand node, `from`, `to`.
    fn needs(self) -> (bool, bool, bool) {
        match self {
            Quantity::FirstShortageDay => (true, false, false),
            Quantity::PShortageBy | Quantity::StockM3 => (true, false, true),
            Quantity::ShareShortDays | Quantity::DeliveredM3 => (true, true, true),
            Quantity::TrucksLost => (false, true, true),
        }
    }

    /// Whether the 5 and 95 % points across runs of the per-run value mean something (not for
    /// a share of runs, whose per-run value is 0 or 1).
    pub fn has_spread(self) -> bool {
        self != Quantity::PShortageBy
    }
}

/// Where trucks were lost, for `trucks_lost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteFilter {
    Everywhere,
    Blockade(BlockadeId),
    /// Any site of attacker `a`.
    Attacker(u32),
}

/// One observation: a statistic of the runs that should fall in [low, high].
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub name: String,
    pub quantity: Quantity,
    /// The demand node, for every quantity but `trucks_lost`.
    pub demand: Option<DemandId>,
    /// The node id as written (empty for `trucks_lost`).
    pub node: String,
    pub site: SiteFilter,
    /// The site's name as written (empty: everywhere).
    pub site_name: String,
    /// First and last day of the window, both included (`from` is 0 where it does not apply).
    pub from: u32,
    pub to: u32,
    /// Whether the file gave `from` and `to` (for the outputs).
    pub has_from: bool,
    pub has_to: bool,
    /// The band, in the quantity's unit (days for `first_shortage_day`).
    pub low: f64,
    pub high: f64,
    pub source: String,
    /// Line of the file it comes from.
    pub line: u64,
}

impl Target {
    /// Whether the target's window ends on or before `day` (for `--train-until`).
    pub fn ends_by(&self, day: u32) -> bool {
        match self.quantity {
            // Known once the first shortage has come: by the top of the band at the latest.
            Quantity::FirstShortageDay => self.high <= f64::from(day),
            _ => self.to <= day,
        }
    }

    /// How far `value` lies outside the band, in band widths (0 inside it). A band of no width
    /// counts in units of 1 % of its value (at least 1).
    pub fn distance(&self, value: f64) -> f64 {
        let width = self.high - self.low;
        let unit = if width > 0.0 { width } else { (0.01 * self.high.abs()).max(1.0) };
        ((self.low - value).max(value - self.high)).max(0.0) / unit
    }

    pub fn met(&self, value: f64) -> bool {
        self.low <= value && value <= self.high
    }
}
