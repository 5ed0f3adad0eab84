//! `corridor`: a Monte Carlo simulator of fuel convoys on a road network under blockade.
//!
//! The pipeline: [`scenario::load_scenario`] reads and validates a scenario and its network;
//! [`sim::Model`] compiles it; [`sim::simulate`] plays the runs in parallel into a
//! [`stats::Accumulator`]; [`report`] writes the tables and charts; [`app`] ties these together
//! for the command line.

pub mod app;
pub mod attacker;
pub mod blockade;
pub mod calendar;
pub mod calibration;
pub mod cli;
pub mod convoy;
pub mod critical;
mod input;
pub mod network;
pub mod observations;
pub mod report;
pub mod rng;
pub mod routing;
pub mod scenario;
pub mod sim;
pub mod stats;
