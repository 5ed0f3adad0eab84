//! The partial file of one shard: what the job was, which part of it the shard played, and the
//! mergeable state of that part. Layout (integers little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 16 | magic `corridor-partial` |
//! | 4 | format version ([`FORMAT_VERSION`]) |
//! | R | the shard's runs.csv rows, in run order, byte for byte as in runs.csv (no header line) |
//! | H | the header: a CBOR (RFC 8949) map, [`PartialHeader`] |
//! | S | the state: CBOR, [`State`] |
//! | 8 + 8 + 8 | R, H, S |
//! | 32 | SHA-256 of every byte before it |
//!
//! Rows come first so that they stream to the file as the runs finish, and stream out of it
//! into runs.csv at the merge; header and state are small (they do not grow with the runs).
//! The file is written beside its destination and renamed into place when complete.

use super::job::{Job, Unit};
use super::{Shard, ShardError};
use crate::network::{Network, NetworkError, network_from_csv};
use crate::observations::Score;
use crate::scenario::{Scenario, ScenarioError, parse_scenario};
use crate::stats::{Accumulator, DemandSummary, Difference, Paired};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

pub const MAGIC: &[u8; 16] = b"corridor-partial";
/// The version of the layout and of the CBOR schema; a partial of another version is refused.
pub const FORMAT_VERSION: u32 = 1;
const PREFIX: u64 = 20;
const FOOTER: u64 = 56;

/// What a partial says about its job and its part of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialHeader {
    /// The version of corridor that wrote it: partials merge with the same version only.
    pub corridor_version: String,
    pub job: Job,
    /// The folder the unsplit command writes by default, under output/.
    pub name: String,
    pub seed: u64,
    /// Runs of every scenario of the job.
    pub runs: u64,
    pub shard: Shard,
    /// What the job is split into, how many there are, and which this shard holds.
    pub unit: Unit,
    pub total: u64,
    pub held: Range<u64>,
    /// The scenario files of the job (with their network), as read by the shard.
    pub inputs: Vec<Input>,
    pub made: Made,
}

/// How the shard was made (recorded in the merged provenance.toml).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Made {
    pub threads: u64,
    pub date: String,
    pub simulation_seconds: f64,
    pub command: String,
}

/// A scenario file and its network as the shard read them, so that the merge needs neither.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    /// The scenario file as named on the command line.
    pub scenario_file: String,
    pub scenario: String,
    /// The network folder, as the scenario resolves it.
    pub network: String,
    pub nodes_csv: String,
    pub edges_csv: String,
    /// As in meta.toml: of the scenario file, and of nodes.csv and edges.csv.
    pub scenario_sha256: String,
    pub network_sha256: String,
}

impl Input {
    /// Reads the files `s` was loaded from.
    pub fn read(s: &Scenario) -> Result<Input, ShardError> {
        let read = |p: &Path| {
            std::fs::read_to_string(p)
                .map_err(|e| ShardError::File { path: p.to_path_buf(), message: format!("cannot read: {e}") })
        };
        let (scenario, nodes_csv) = (read(&s.path)?, read(&s.network_dir.join("nodes.csv"))?);
        let edges_csv = read(&s.network_dir.join("edges.csv"))?;
        Ok(Input {
            scenario_file: s.path.display().to_string(),
            network: s.network_dir.display().to_string(),
            scenario_sha256: crate::report::sha256(&[scenario.as_bytes()]),
            network_sha256: crate::report::sha256(&[nodes_csv.as_bytes(), edges_csv.as_bytes()]),
            scenario,
            nodes_csv,
            edges_csv,
        })
    }

    /// The network, from the recorded CSVs.
    pub fn network(&self) -> Result<Network, NetworkError> {
        network_from_csv(Path::new(&self.network), self.nodes_csv.as_bytes(), self.edges_csv.as_bytes())
    }

    /// The scenario, from the recorded files (errors name the original paths).
    pub fn scenario(&self) -> Result<Scenario, ScenarioError> {
        parse_scenario(&self.scenario, Path::new(&self.scenario_file), |_| self.network())
    }
}

/// The mergeable state of a shard's part of the job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum State {
    /// run, compare, sweep: the statistics of the shard's runs of every scenario (integer
    /// sums and counts) and the paired differences to the first.
    Runs { accs: Vec<Accumulator>, paired: Paired },
    /// critical: the target's outcome without a new blockade, and each set of sites the shard
    /// evaluated (every set is evaluated whole by one shard).
    Sets { base: DemandSummary, sets: Vec<SetResult> },
    /// calibrate: the statistics, one per target, of each parameter set the shard played
    /// (every set is played whole, all its runs, by one shard).
    Scores { sets: Vec<SetScores> },
}

/// One set of sites of a `critical` search, by its index in the search's plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetResult {
    pub index: u64,
    pub summary: DemandSummary,
    pub unmet: Difference,
    pub shortage: Difference,
}

/// One parameter set of a calibration, by its index in the design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetScores {
    pub index: u64,
    pub scores: Vec<Score>,
}

impl State {
    /// The indices of the sets it holds (none for runs).
    pub fn set_indices(&self) -> Vec<u64> {
        match self {
            State::Runs { .. } => Vec::new(),
            State::Sets { sets, .. } => sets.iter().map(|s| s.index).collect(),
            State::Scores { sets } => sets.iter().map(|s| s.index).collect(),
        }
    }

    /// Adds another shard's state: sums for runs, the union for sets. Shapes must agree.
    pub fn absorb(&mut self, other: State) -> Result<(), String> {
        match (self, other) {
            (State::Runs { accs, paired }, State::Runs { accs: more, paired: p }) if accs.len() == more.len() => {
                for (a, b) in accs.iter_mut().zip(&more) {
                    a.merge(b);
                }
                paired.merge(&p);
                Ok(())
            }
            (State::Sets { base, sets }, State::Sets { base: other_base, sets: more }) => {
                if *base != other_base {
                    return Err("the scenario as it is gives different outcomes in two shards".into());
                }
                sets.extend(more);
                Ok(())
            }
            (State::Scores { sets }, State::Scores { sets: more }) => {
                sets.extend(more);
                Ok(())
            }
            _ => Err("the shards hold different kinds of state".into()),
        }
    }
}

/// A file being hashed as it is written.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A partial file being written: rows first, as they come, then header and state.
pub struct PartialWriter {
    path: PathBuf,
    temp: PathBuf,
    out: Option<Hashing<BufWriter<File>>>,
    rows: u64,
}

impl PartialWriter {
    /// Starts `path` (written beside it, moved into place by [`PartialWriter::finish`]).
    pub fn create(path: &Path) -> Result<PartialWriter, ShardError> {
        let io =
            |e: std::io::Error| ShardError::File { path: path.to_path_buf(), message: format!("cannot write: {e}") };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&temp).map_err(io)?;
        let mut out = Hashing { inner: BufWriter::new(file), hash: Sha256::new() };
        out.write_all(MAGIC).and_then(|()| out.write_all(&FORMAT_VERSION.to_le_bytes())).map_err(io)?;
        Ok(PartialWriter { path: path.to_path_buf(), temp, out: Some(out), rows: 0 })
    }

    fn io(&self, e: std::io::Error) -> ShardError {
        ShardError::File { path: self.path.clone(), message: format!("cannot write: {e}") }
    }

    /// Appends runs.csv rows (in run order).
    pub fn rows(&mut self, bytes: &[u8]) -> Result<(), ShardError> {
        let Some(out) = self.out.as_mut() else { return Ok(()) };
        let result = out.write_all(bytes);
        result.map_err(|e| self.io(e))?;
        self.rows += bytes.len() as u64;
        Ok(())
    }

    /// Writes header, state and footer and moves the file into place.
    pub fn finish(mut self, header: &PartialHeader, state: &State) -> Result<(), ShardError> {
        let bad = |message| ShardError::File { path: self.path.clone(), message };
        let (h, s) = (cbor(header).map_err(bad)?, cbor(state).map_err(bad)?);
        let Some(mut out) = self.out.take() else { return Ok(()) };
        let mut write = || -> std::io::Result<()> {
            out.write_all(&h)?;
            out.write_all(&s)?;
            for n in [self.rows, h.len() as u64, s.len() as u64] {
                out.write_all(&n.to_le_bytes())?;
            }
            let digest = out.hash.clone().finalize();
            out.inner.write_all(&digest)?;
            out.inner.flush()?;
            out.inner.get_ref().sync_all()?;
            std::fs::rename(&self.temp, &self.path)
        };
        write().map_err(|e| self.io(e))
    }
}

impl Drop for PartialWriter {
    fn drop(&mut self) {
        if self.out.is_some() {
            self.out = None;
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// The CBOR encoding of `v`.
fn cbor<T: Serialize>(v: &T) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    ciborium::into_writer(v, &mut out).map_err(|e| format!("cannot encode: {e}"))?;
    Ok(out)
}

/// A partial file opened and its header read and checked; rows and state are read on demand.
#[derive(Debug)]
pub struct PartialFile {
    pub path: PathBuf,
    pub header: PartialHeader,
    rows: u64,
    header_len: u64,
    state_len: u64,
}

impl PartialFile {
    /// Opens `path`: a truncated file, another format or corridor version, or a header that
    /// does not decode is an error naming the file.
    pub fn open(path: &Path) -> Result<PartialFile, ShardError> {
        let bad = |m: String| ShardError::File { path: path.to_path_buf(), message: m };
        let io = |e: std::io::Error| bad(format!("cannot read: {e}"));
        let mut file = File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let mut prefix = [0u8; PREFIX as usize];
        let got = read_up_to(&mut file, &mut prefix).map_err(io)?;
        if got < 16 || &prefix[..16] != MAGIC {
            return Err(bad("not a corridor partial file (written by `corridor VERB --shard I/N`)".into()));
        }
        if got < prefix.len() {
            return Err(bad(format!("truncated: {len} bytes")));
        }
        let version = u32::from_le_bytes([prefix[16], prefix[17], prefix[18], prefix[19]]);
        if version != FORMAT_VERSION {
            return Err(bad(format!(
                "partial file format version {version}; this corridor ({}) reads version {FORMAT_VERSION}: \
                 merge with the corridor that wrote it, or run the shard again",
                env!("CARGO_PKG_VERSION")
            )));
        }
        if len < PREFIX + FOOTER {
            return Err(bad(format!("truncated: {len} bytes, shorter than an empty partial")));
        }
        let mut footer = [0u8; FOOTER as usize];
        file.seek(SeekFrom::Start(len - FOOTER)).and_then(|_| file.read_exact(&mut footer)).map_err(io)?;
        let n = |i: usize| u64::from_le_bytes(footer[i * 8..i * 8 + 8].try_into().unwrap_or_default());
        let (rows, header_len, state_len) = (n(0), n(1), n(2));
        let expected = [PREFIX, rows, header_len, state_len, FOOTER].iter().try_fold(0u64, |a, &b| a.checked_add(b));
        if expected != Some(len) {
            return Err(bad(format!(
                "truncated or damaged: {len} bytes, not the length its footer gives (the shard may still be \
                 running, or the copy was cut short)"
            )));
        }
        file.seek(SeekFrom::Start(PREFIX + rows)).map_err(io)?;
        let header: PartialHeader = ciborium::from_reader(BufReader::new(file.take(header_len)))
            .map_err(|e| bad(format!("damaged: cannot decode its header ({e})")))?;
        if header.corridor_version != env!("CARGO_PKG_VERSION") {
            return Err(bad(format!(
                "written by corridor {}; this is corridor {}: merge with the version that wrote it",
                header.corridor_version,
                env!("CARGO_PKG_VERSION")
            )));
        }
        Ok(PartialFile { path: path.to_path_buf(), header, rows, header_len, state_len })
    }

    /// Bytes of runs.csv rows it holds.
    pub fn rows_len(&self) -> u64 {
        self.rows
    }

    fn bad(&self, m: String) -> ShardError {
        ShardError::File { path: self.path.clone(), message: m }
    }

    /// Reads the whole file, copying its rows to `rows`, and checks its SHA-256.
    pub fn verify(&self, rows: &mut dyn Write) -> Result<(), ShardError> {
        let io = |e: std::io::Error| self.bad(format!("cannot read: {e}"));
        let mut file = BufReader::with_capacity(1 << 20, File::open(&self.path).map_err(io)?);
        let mut hash = Sha256::new();
        let (mut sink, mut sink_too) = (std::io::sink(), std::io::sink());
        for (n, out) in [
            (PREFIX, &mut sink as &mut dyn Write),
            (self.rows, rows),
            (self.header_len + self.state_len + 24, &mut sink_too),
        ] {
            let mut left = n;
            while left > 0 {
                let buf = file.fill_buf().map_err(io)?;
                if buf.is_empty() {
                    return Err(self.bad("truncated while reading".into()));
                }
                let take = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                hash.update(&buf[..take]);
                out.write_all(&buf[..take]).map_err(|e| self.bad(format!("cannot copy its rows: {e}")))?;
                file.consume(take);
                left -= take as u64;
            }
        }
        let mut digest = [0u8; 32];
        file.read_exact(&mut digest).map_err(io)?;
        if hash.finalize().as_slice() != digest {
            return Err(self.bad("damaged: its SHA-256 does not match its content".into()));
        }
        Ok(())
    }

    /// The shard's state.
    pub fn state(&self) -> Result<State, ShardError> {
        let io = |e: std::io::Error| self.bad(format!("cannot read: {e}"));
        let mut file = File::open(&self.path).map_err(io)?;
        file.seek(SeekFrom::Start(PREFIX + self.rows + self.header_len)).map_err(io)?;
        ciborium::from_reader(BufReader::with_capacity(1 << 20, file.take(self.state_len)))
            .map_err(|e| self.bad(format!("damaged: cannot decode its state ({e})")))
    }
}

#[cfg(test)]
impl PartialFile {
    /// A file as [`PartialFile::open`] would give it, for tests of the checks on headers.
    pub(super) fn fake(path: &str, header: PartialHeader) -> PartialFile {
        PartialFile { path: PathBuf::from(path), header, rows: 0, header_len: 0, state_len: 0 }
    }
}

/// Reads into `buf` until it is full or the file ends; returns how much was read.
fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read(&mut buf[got..])? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::network::test_util::network;
    use crate::scenario::test_util::scenario;
    use crate::sim::{Model, simulate_all};

    /// The statistics of 50 runs of a small scenario with an attacked road.
    pub fn state() -> State {
        let net = network(&[("a", 0.0), ("b", 0.0)], &[("a", "b", 100.0)]);
        let s = scenario(
            net,
            8,
            "travel_time_cv = 0.5\n[[demand]]\nnode = \"b\"\nconsumption_m3_per_day = 5\ninitial_stock_m3 = 10\n\
             [[supply]]\nname = \"s\"\nfrom = \"a\"\nto = \"b\"\nconvoys_per_day = 1\ntrucks_per_convoy = 4\ntruck_m3 = 2\n\
             [[blockade]]\nname = \"k\"\nnode = \"a\"\nattack_prob = 0.5\ntruck_loss_prob = 0.5\n",
        );
        let model = Model::new(&s);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let b = simulate_all(&[&model], 1, 50, &pool, true, |_| (), |()| Ok::<(), ()>(()), |_| {}).unwrap();
        State::Runs { accs: b.accs, paired: b.paired }
    }

    pub fn header(index: u64, count: u64) -> PartialHeader {
        let shard = Shard { index, count };
        PartialHeader {
            corridor_version: env!("CARGO_PKG_VERSION").to_string(),
            job: Job::Run { runs_csv: true, report: false },
            name: "t".into(),
            seed: 1,
            runs: 100,
            shard,
            unit: Unit::Runs,
            total: 100,
            held: shard.range(100),
            inputs: vec![Input {
                scenario_file: "t.toml".into(),
                scenario: "name = \"t\"".into(),
                network: "net".into(),
                nodes_csv: "id\n".into(),
                edges_csv: "from\n".into(),
                scenario_sha256: "5c3a".repeat(16),
                network_sha256: "e018".repeat(16),
            }],
            made: Made {
                threads: 2,
                date: "2025-09-04 00:00 UTC".into(),
                simulation_seconds: 0.5,
                command: "c".into(),
            },
        }
    }

    const ROWS: &[u8] = b"0,b,1,2,3.000,4.000,5.000,0\n1,b,,0,0.000,8.000,0.000,0\n";

    fn write(dir: &Path) -> PathBuf {
        let path = dir.join("shard-1-of-2.partial");
        let mut w = PartialWriter::create(&path).unwrap();
        w.rows(&ROWS[..20]).unwrap();
        w.rows(&ROWS[20..]).unwrap();
        w.finish(&header(1, 2), &state()).unwrap();
        path
    }

    fn open_error(path: &Path) -> String {
        PartialFile::open(path).unwrap_err().to_string()
    }

    #[test]
    fn a_partial_reads_back_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
        let f = PartialFile::open(&path).unwrap();
        assert_eq!(f.header, header(1, 2));
        assert_eq!(f.rows_len(), ROWS.len() as u64);
        let mut rows = Vec::new();
        f.verify(&mut rows).unwrap();
        assert_eq!(rows, ROWS);
        assert_eq!(f.state().unwrap(), state(), "integer sums, infinities and all");
    }

    #[test]
    fn truncated_damaged_and_foreign_files_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path());
        let bytes = std::fs::read(&path).unwrap();
        let cut = dir.path().join("cut.partial");
        for len in [0, 10, 18, 40, bytes.len() / 2, bytes.len() - 1] {
            std::fs::write(&cut, &bytes[..len]).unwrap();
            let e = open_error(&cut);
            assert!(e.starts_with(&cut.display().to_string()), "{e}");
            assert!(e.contains("truncated") || e.contains("not a corridor partial file"), "{len}: {e}");
        }
        let mut other = bytes.clone();
        other[16] = 9;
        std::fs::write(&cut, &other).unwrap();
        assert!(open_error(&cut).contains("partial file format version 9; this corridor"), "{}", open_error(&cut));
        let mut flipped = bytes.clone();
        flipped[25] ^= 1; // in the rows
        std::fs::write(&cut, &flipped).unwrap();
        let e = PartialFile::open(&cut).unwrap().verify(&mut std::io::sink()).unwrap_err().to_string();
        assert!(e.contains("SHA-256 does not match"), "{e}");
        std::fs::write(&cut, b"run,node\n0,b\n").unwrap();
        assert!(open_error(&cut).contains("not a corridor partial file"));
    }

    #[test]
    fn an_unfinished_partial_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = PartialWriter::create(&dir.path().join("x.partial")).unwrap();
        w.rows(ROWS).unwrap();
        drop(w);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
