//! `corridor merge`: the partial files of a job split with `--shard` into the output folder of
//! the unsplit command. The partials carry the scenario files and networks they were run on,
//! so the merge needs neither; their states add up exactly (integer sums, or whole sets), and
//! each verb's outputs are written by the same code as without shards, so every file is the
//! same byte for byte — provenance.toml aside, which lists the shards.

use super::output::Staged;
use super::{critical, print, run, sweep};
use crate::critical::{Evaluation, assemble, plan};
use crate::report::{self, Critical, Provenance, RunsWriter, ShardProvenance};
use crate::scenario::{Scenario, scenario_text_with};
use crate::shards::{self, Job, PartialFile, PartialHeader, ShardError, State};
use crate::sim::{Batch, Model, empty_batch};
use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn merge(paths: &[PathBuf], out: Option<&Path>, quiet: bool) -> Result<()> {
    let opened = paths.iter().map(|p| PartialFile::open(p)).collect::<Result<Vec<_>, _>>()?;
    let files = shards::check(&opened)?;
    let header = &files[0].header;
    let out = out.map_or_else(|| Path::new("output").join(&header.name), Path::to_path_buf);
    let mut scenarios = header.inputs.iter().map(|i| i.scenario()).collect::<Result<Vec<_>, _>>()?;
    for s in &mut scenarios {
        s.simulation.runs = header.runs;
        s.simulation.seed = header.seed;
    }
    let staged = Staged::new(&out)?;
    let dir = staged.dir();
    // Every file is read whole and its checksum checked; runs.csv gets the rows in shard order.
    let mut rows = match header.job {
        Job::Run { runs_csv: true, .. } => Some(RunsWriter::create(&dir.join("runs.csv"))?),
        _ => None,
    };
    for f in &files {
        match rows.as_mut() {
            Some(w) => f.verify(&mut Rows(w))?,
            None => f.verify(&mut std::io::sink())?,
        }
    }
    if let Some(w) = rows {
        w.finish()?;
    }
    write_provenance(&files, dir)?;
    let table = match &header.job {
        Job::Run { report: with_report, .. } => {
            let batch = sum_runs(files.clone(), &scenarios, true)?;
            run::write_results(&scenarios[0], &batch.accs[0], &header.inputs[0], None, dir)?;
            if *with_report {
                super::report::write_report(dir, dir)?;
            }
            run::table(&scenarios[0], &batch.accs[0], None)
        }
        Job::Compare => {
            let batch = sum_runs(files.clone(), &scenarios, false)?;
            super::compare::write_outputs(&scenarios, &batch, None, dir)?;
            super::compare::table(&scenarios, &batch, None)
        }
        Job::Sweep { sets } => {
            let ranges = sets.iter().map(|s| sweep::parse_set(s)).collect::<Result<Vec<_>, _>>()?;
            let input = &header.inputs[0];
            let make = |a: &[(String, toml::Value)]| {
                scenario_text_with(&input.scenario, Path::new(&input.scenario_file), a, |_| input.network())
            };
            let points = sweep::points(&ranges, make, Some(header.runs), Some(header.seed))?;
            let variants: Vec<Scenario> = points.iter().map(|(_, s)| s.clone()).collect();
            let batch = sum_runs(files.clone(), &variants, false)?;
            let keys: Vec<String> = ranges.iter().map(|r| r.key.clone()).collect();
            sweep::write_outputs(&keys, &points, &batch, dir)?;
            sweep::table(&keys, &points, &batch)
        }
        Job::Critical { target, k, strength } => {
            let scenario = &scenarios[0];
            let target_index = critical::target_index(scenario, Some(target))?;
            let strength_value = critical::parse_strength(strength)?;
            let plan = plan(scenario, target_index, *k as usize, strength_value);
            if plan.len() as u64 != header.total {
                return Err(inconsistent(header, &format!("the search has {} sets", plan.len())).into());
            }
            let State::Sets { base, sets } = shards::merge(files.clone(), None)?.state else {
                return Err(inconsistent(header, "its state is not that of a critical search").into());
            };
            let all: Vec<&Vec<_>> = plan.sets().collect();
            let evaluations = sets
                .into_iter()
                .map(|r| Evaluation {
                    sites: all[r.index as usize].clone(),
                    summary: r.summary,
                    unmet: r.unmet,
                    shortage: r.shortage,
                })
                .collect();
            let search = assemble(&plan, base, evaluations, header.runs);
            let c = Critical { scenario, target, strength: strength_value, search: &search };
            critical::write_outputs(&c, dir)?;
            report::critical_table(&c)
        }
        Job::Calibrate(job) => {
            let State::Scores { sets } = shards::merge(files.clone(), None)?.state else {
                return Err(inconsistent(header, "its state is not that of a calibration").into());
            };
            super::calibrate::merged(header, job, sets, dir)?
        }
    };
    staged.publish()?;
    if !quiet {
        print(&format!("{table}merged {} shards; wrote {}\n", files.len(), out.display()));
    }
    Ok(())
}

/// The summed statistics of the runs of `scenarios` in `files`.
fn sum_runs(files: Vec<&PartialFile>, scenarios: &[Scenario], quantiles: bool) -> Result<Batch, ShardError> {
    let models: Vec<Model> = scenarios.iter().map(Model::new).collect();
    let refs: Vec<&Model> = models.iter().collect();
    let Batch { accs, paired } = empty_batch(&refs, quantiles);
    let header = files[0].header.clone();
    match shards::merge(files, Some(State::Runs { accs, paired }))?.state {
        State::Runs { accs, paired } => Ok(Batch { accs, paired }),
        State::Sets { .. } | State::Scores { .. } => Err(inconsistent(&header, "its state is not that of runs")),
    }
}

pub(super) fn inconsistent(header: &PartialHeader, why: &str) -> ShardError {
    ShardError::Mismatch(format!("the partials of this {} job do not fit it: {why}", header.job.verb()))
}

/// provenance.toml of a merged folder: the merge itself, and each shard.
fn write_provenance(files: &[&PartialFile], dir: &Path) -> Result<()> {
    let command: Vec<String> = std::env::args().collect();
    let shards: Vec<ShardProvenance> = files
        .iter()
        .map(|f| {
            let h = &f.header;
            ShardProvenance {
                file: f.path.display().to_string(),
                shard: h.shard.to_string(),
                held: shards::held(h.unit, &h.held),
                threads: h.made.threads,
                date: h.made.date.clone(),
                simulation_seconds: h.made.simulation_seconds,
                command: h.made.command.clone(),
            }
        })
        .collect();
    let provenance = Provenance {
        threads: shards.iter().map(|s| s.threads as usize).max().unwrap_or(1),
        date: report::now(),
        simulation_seconds: (shards.iter().map(|s| s.simulation_seconds).sum::<f64>() * 1000.0).round() / 1000.0,
        command: command.join(" "),
        shards,
    };
    report::write_provenance(&provenance, &dir.join("provenance.toml"))?;
    Ok(())
}

/// runs.csv as a byte sink for the rows copied out of the partials.
struct Rows<'a>(&'a mut RunsWriter);

impl Write for Rows<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf).map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
