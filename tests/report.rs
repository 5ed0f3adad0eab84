//! The report: report.md and report.html, and report.html opened in headless Chromium (Debian's
//! chromium, which .ci/run installs where it is missing): every image loads and the page is not
//! blank.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
const CHARTS: usize = 8;

fn report_folder(dir: &Path) -> PathBuf {
    let out = dir.join("out");
    Command::cargo_bin("corridor")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", "1756944000")
        .args([
            "run",
            &format!("{DATA}/mixed.toml"),
            "--runs",
            "100",
            "--report",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    out
}

#[test]
fn the_report_tells_the_scenario_numbers_charts_and_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let out = report_folder(dir.path());
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    for text in [
        "# Fuel supply under blockade: mixed",
        "## Key numbers",
        "City C runs short in",
        "## The scenario",
        "Port A to City C: 0.7 convoys a day of 12 trucks of 40 m³",
        "Blockade border at Border B, from day 5 to day 25: 40 % of passing convoys attacked",
        "Convoys route around the blockades they know of (3 days after each begins)",
        "## Provenance",
        "**date**: `2025-09-04 00:00 UTC`",
        "**threads**",
        "**scenario SHA-256**",
    ] {
        assert!(md.contains(text), "report.md lacks {text:?}");
    }
    // Every chart is linked, and exists.
    let links: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("!["))
        .filter_map(|l| l.split("](").nth(1))
        .map(|l| l.trim_end_matches(')'))
        .collect();
    assert_eq!(links.len(), CHARTS, "{links:?}");
    for link in links {
        assert!(out.join(link).exists(), "{link}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(html.matches("<img ").count(), CHARTS);
    assert!(!html.contains("http://") && !html.contains("https://"), "the report must need no network");
    // `corridor report` on the folder writes the same files again.
    let (html_before, md_before) = (html.clone(), md.clone());
    Command::cargo_bin("corridor").unwrap().args(["report", out.to_str().unwrap(), "--quiet"]).assert().success();
    assert_eq!(std::fs::read_to_string(out.join("report.html")).unwrap(), html_before);
    assert_eq!(std::fs::read_to_string(out.join("report.md")).unwrap(), md_before);
}

/// Chromium from $CHROMIUM or the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser", "google-chrome"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium with `args` on `page`; returns its stdout. Gives up after 90 s.
fn headless(browser: &Path, profile: &Path, args: &[String], page: &Path) -> String {
    let mut child = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    // Read stdout while it runs: the page is larger than a pipe's buffer.
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).ok();
        text
    });
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(90) {
            child.kill().ok();
            panic!("chromium did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().expect("stdout reader")
}

#[test]
fn report_html_loads_every_image_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI needs chromium: .ci/run installs Debian's chromium");
        eprintln!("skipped: no chromium on this machine (install Debian's chromium, or run .ci/run)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = report_folder(dir.path());
    let page = out.join("report.html").canonicalize().unwrap();
    let dom = headless(&browser, &dir.path().join("profile1"), &["--dump-dom".to_string()], &page);
    let expected = format!("data-images-loaded=\"{CHARTS}/{CHARTS}\"");
    assert!(
        dom.contains(&expected),
        "not every image loaded: {}",
        dom.lines().find(|l| l.contains("<body")).unwrap_or("no <body>")
    );
    let shot = dir.path().join("shot.png");
    let args = [format!("--screenshot={}", shot.display()), "--window-size=1100,3000".to_string()];
    headless(&browser, &dir.path().join("profile2"), &args, &page);
    let decoder = png::Decoder::new(std::fs::File::open(&shot).expect("a screenshot"));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let ink = pixels.chunks(channels).filter(|p| p[..3].iter().any(|&c| c < 240)).count();
    let share = ink as f64 / (pixels.len() / channels) as f64;
    assert!(share > 0.05, "the page looks blank: {:.1} % of pixels drawn", 100.0 * share);
}
