//! The scenario file as written by users (TOML). These structs mirror the file format only;
//! `validate` turns them into the model. Every value keeps its span so that errors can name the
//! line and column, and unknown keys are rejected.

use serde::Deserialize;
use toml::Spanned;

/// A day key's value: a day number, or (with `start_date`) a TOML local date or a
/// "YYYY-MM-DD" string. Kept as a TOML value so that `validate` names the key in every error.
pub type DayFile = toml::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: String,
    pub network: Spanned<String>,
    pub simulation: Spanned<SimulationFile>,
    #[serde(default)]
    pub demand: Vec<Spanned<DemandFile>>,
    #[serde(default)]
    pub supply: Vec<Spanned<SupplyFile>>,
    #[serde(default)]
    pub blockade: Vec<Spanned<BlockadeFile>>,
    #[serde(default)]
    pub routing: Option<Spanned<RoutingFile>>,
    #[serde(default)]
    pub attacker: Vec<Spanned<AttackerFile>>,
    #[serde(default)]
    pub escorts: Option<Spanned<EscortsFile>>,
    #[serde(default)]
    pub origin: Vec<Spanned<OriginFile>>,
    #[serde(default)]
    pub convoy: Vec<Spanned<ConvoyFile>>,
    #[serde(default)]
    pub deterrence: Option<Spanned<DeterrenceFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulationFile {
    pub horizon_days: Spanned<u32>,
    pub runs: Spanned<u64>,
    pub seed: Spanned<u64>,
    #[serde(default)]
    pub travel_time_cv: Option<Spanned<f64>>,
    #[serde(default)]
    pub default_speed_km_per_day: Option<Spanned<f64>>,
    /// A TOML local date or a "YYYY-MM-DD" string; checked in `validate`.
    #[serde(default)]
    pub start_date: Option<Spanned<DayFile>>,
    #[serde(default)]
    pub warm_up_days: Option<Spanned<f64>>,
    #[serde(default)]
    pub attack_prob_scale: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandFile {
    pub node: Spanned<String>,
    pub consumption_m3_per_day: Spanned<f64>,
    pub initial_stock_m3: Spanned<f64>,
    #[serde(default)]
    pub rationing_factor: Option<Spanned<f64>>,
    #[serde(default)]
    pub rationing_below_days: Option<Spanned<f64>>,
    #[serde(default)]
    pub reserve_m3: Option<Spanned<f64>>,
    #[serde(default)]
    pub reserve_release_below_days: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyFile {
    pub name: Spanned<String>,
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub convoys_per_day: Spanned<f64>,
    pub trucks_per_convoy: Spanned<u32>,
    pub truck_m3: Spanned<f64>,
    #[serde(default)]
    pub escorted: Option<Spanned<bool>>,
    #[serde(default)]
    pub start_day: Option<Spanned<DayFile>>,
    #[serde(default)]
    pub end_day: Option<Spanned<DayFile>>,
    #[serde(default)]
    pub shift_to: Option<Spanned<String>>,
    #[serde(default)]
    pub shift_share: Option<Spanned<f64>>,
    #[serde(default)]
    pub via: Option<Spanned<Vec<String>>>,
}

/// A convoy that leaves once, at a given time (`[[convoy]]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConvoyFile {
    pub name: Spanned<String>,
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub day: Spanned<DayFile>,
    pub trucks: Spanned<u32>,
    pub truck_m3: Spanned<f64>,
    #[serde(default)]
    pub escorted: Option<Spanned<bool>>,
    #[serde(default)]
    pub via: Option<Spanned<Vec<String>>>,
}

/// Drivers who refuse a road after attacks on it (`[deterrence]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeterrenceFile {
    pub per_attack: Spanned<f64>,
    pub recovery_days: Spanned<f64>,
    #[serde(default)]
    pub floor: Option<Spanned<f64>>,
    #[serde(default)]
    pub supplies: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginFile {
    pub node: Spanned<String>,
    pub capacity_convoys_per_day: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockadeFile {
    pub name: Spanned<String>,
    #[serde(default)]
    pub node: Option<Spanned<String>>,
    #[serde(default)]
    pub edge: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub start_day: Option<Spanned<DayFile>>,
    #[serde(default)]
    pub end_day: Option<Spanned<DayFile>>,
    pub attack_prob: Spanned<f64>,
    #[serde(default)]
    pub escort_factor: Option<Spanned<f64>>,
    #[serde(default)]
    pub truck_loss_prob: Option<Spanned<f64>>,
    #[serde(default)]
    pub hold_days: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingFile {
    #[serde(default)]
    pub policy: Option<Spanned<PolicyFile>>,
    #[serde(default)]
    pub detection_delay_days: Option<Spanned<f64>>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyFile {
    Static,
    Avoid,
}

/// A site in a list: a node id, or the two node ids of a road.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SiteFile {
    Node(String),
    Edge(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttackerFile {
    pub name: Spanned<String>,
    pub candidates: Spanned<Vec<SiteFile>>,
    #[serde(default)]
    pub sites: Option<Spanned<u32>>,
    #[serde(default)]
    pub policy: Option<Spanned<AttackerPolicyFile>>,
    #[serde(default)]
    pub period_days: Option<Spanned<f64>>,
    #[serde(default)]
    pub detection_lag_days: Option<Spanned<f64>>,
    #[serde(default)]
    pub start_day: Option<Spanned<DayFile>>,
    #[serde(default)]
    pub end_day: Option<Spanned<DayFile>>,
    pub attack_prob: Spanned<f64>,
    #[serde(default)]
    pub escort_factor: Option<Spanned<f64>>,
    #[serde(default)]
    pub truck_loss_prob: Option<Spanned<f64>>,
    #[serde(default)]
    pub hold_days: Option<Spanned<f64>>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AttackerPolicyFile {
    Static,
    Rotating,
    Adaptive,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscortsFile {
    pub units: Spanned<u32>,
    #[serde(default)]
    pub supplies: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub start_day: Option<Spanned<DayFile>>,
}
