//! A real cluster. Where Slurm can be had (Debian's slurmctld, slurmd, slurm-client and munge,
//! as root; `.ci/run` installs them), the test brings up a private single-node Slurm with
//! scripts/slurm-single-node.sh, submits `corridor run --shard auto` as a job array of 4 tasks
//! and `corridor merge` as a job depending on it with scripts/slurm-array.sh (the recipe of
//! docs/cluster.md), and checks the merged folder against the one-machine run, byte for byte.
//! Where Slurm cannot be had, it says why on stderr and checks nothing else.

mod common;

use assert_cmd::Command;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Written straight to stderr, past the test harness's capture, so that it shows in the output.
fn say(text: &str) {
    let _ = writeln!(std::io::stderr(), "tests/slurm.rs: {text}");
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

/// Why Slurm cannot be had here, if it cannot.
fn unavailable() -> Option<String> {
    if !on_path("sbatch") {
        return Some(
            "sbatch not found (Debian: apt-get install slurmctld slurmd slurm-client munge; .ci/run does)".into(),
        );
    }
    for daemon in ["/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged"] {
        if !Path::new(daemon).exists() {
            return Some(format!("{daemon} not found (apt-get install slurmctld slurmd munge)"));
        }
    }
    let uid = std::process::Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("not root: a private slurmd must run as root".into());
    }
    None
}

/// A free TCP port on this machine (for a private slurmctld and slurmd).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(16817)
}

/// A private single-node Slurm, stopped (by pid) when dropped.
struct Cluster {
    dir: tempfile::TempDir,
}

impl Cluster {
    fn start() -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let (ctld, slurmd) = (free_port(), free_port());
        let out = std::process::Command::new(root().join("scripts/slurm-single-node.sh"))
            .args(["start", dir.path().to_str().unwrap()])
            .env("CTLD_PORT", ctld.to_string())
            .env("SLURMD_PORT", if slurmd == ctld { ctld + 1 } else { slurmd }.to_string())
            .output()
            .unwrap();
        let cluster = Cluster { dir };
        assert!(
            out.status.success(),
            "the single-node Slurm did not start: {}{}\nslurmctld.log:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(cluster.dir.path().join("slurmctld.log")).unwrap_or_default()
        );
        cluster
    }

    fn conf(&self) -> PathBuf {
        self.dir.path().join("slurm.conf")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new(root().join("scripts/slurm-single-node.sh"))
            .args(["stop", self.dir.path().to_str().unwrap()])
            .status();
    }
}

#[test]
fn a_slurm_job_array_of_4_shards_merges_to_the_one_machine_run_byte_for_byte() {
    if let Some(why) = unavailable() {
        say(&format!("Slurm cannot be had here, the job array test did not run: {why}"));
        return;
    }
    let scenario = root().join("tests/data/mixed.toml");
    let scenario = scenario.to_str().unwrap();
    let work = tempfile::tempdir().unwrap();
    let one = work.path().join("one");
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["run", scenario, "--runs", "4000", "--quiet", "--out", one.to_str().unwrap()])
        .assert()
        .success();

    let started = Instant::now();
    let cluster = Cluster::start();
    let out = std::process::Command::new(root().join("scripts/slurm-array.sh"))
        .current_dir(work.path())
        .args(["4", "array", "run", scenario, "--runs", "4000"])
        .env("CORRIDOR", env!("CARGO_BIN_EXE_corridor"))
        .env("SLURM_CONF", cluster.conf())
        .env("WAIT", "1")
        .output()
        .unwrap();
    let logs = |name: &str| std::fs::read_to_string(work.path().join("array/logs").join(name)).unwrap_or_default();
    assert!(
        out.status.success(),
        "{}{}\nshard-0.log: {}\nmerge.log: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        logs("shard-0.log"),
        logs("merge.log")
    );
    drop(cluster);
    let seconds = started.elapsed().as_secs_f64();

    let merged = work.path().join("array/result");
    let (expected, got) = (common::results(&one), common::results(&merged));
    assert_eq!(expected.keys().collect::<Vec<_>>(), got.keys().collect::<Vec<_>>());
    for (name, bytes) in &expected {
        assert!(bytes == &got[name], "{name} differs between the one-machine run and the Slurm array");
    }
    let provenance = std::fs::read_to_string(merged.join("provenance.toml")).unwrap();
    for shard in ["1/4", "2/4", "3/4", "4/4"] {
        assert!(provenance.contains(&format!("shard = \"{shard}\"")), "{provenance}");
    }
    assert!(logs("merge.log").contains("merged 4 shards"), "{}", logs("merge.log"));
    say(&format!(
        "a private single-node Slurm ran 4 array tasks and the dependent merge in {seconds:.1} s \
         (start, submit, run, merge, stop); the merged folder is the one-machine run byte for byte"
    ));
}
