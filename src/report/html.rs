//! report.html: the report as one self-contained page — styles inline, every chart embedded as
//! an SVG data URI, no network access needed — that prints well. A small inline script records
//! on the page, once loaded, how many of its images loaded (read by the browser test).

use super::ReportError;
use super::document::{Block, Document};
use std::path::Path;

const STYLE: &str = "
body { font-family: 'DejaVu Sans', Verdana, sans-serif; color: #222; max-width: 1000px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.7em; border-bottom: 2px solid #0072b2; padding-bottom: .2em; }
h2 { font-size: 1.3em; margin-top: 1.6em; color: #0072b2; }
table { border-collapse: collapse; margin: 1em 0; font-size: .92em; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f0f4f8; }
figure { margin: 1.5em 0; page-break-inside: avoid; break-inside: avoid; }
figure img { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .9em; color: #555; margin-top: .3em; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; font-size: .85em; }
dl.provenance dt { font-weight: bold; } dl.provenance dd { margin: 0; font-family: monospace; word-break: break-all; }
@media print { body { max-width: none; margin: 0; } h2 { page-break-after: avoid; } }
";

const SCRIPT: &str = "window.addEventListener('load', function () {
  var images = Array.prototype.slice.call(document.images);
  var loaded = images.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
  document.body.setAttribute('data-images-loaded', loaded + '/' + images.length);
});";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Standard base64 (for data URIs).
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Renders `doc` as HTML, embedding the SVG charts found in `dir`.
pub fn write_html(doc: &Document, dir: &Path, path: &Path) -> Result<(), ReportError> {
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(&doc.title),
        escape(&doc.title)
    );
    for block in &doc.blocks {
        match block {
            Block::Heading(t) => h += &format!("<h2>{}</h2>\n", escape(t)),
            Block::Paragraph(t) => h += &format!("<p>{}</p>\n", escape(t)),
            Block::List(items) => {
                h += "<ul>\n";
                for i in items {
                    h += &format!("<li>{}</li>\n", escape(i));
                }
                h += "</ul>\n";
            }
            Block::Table { header, rows } => {
                h += "<table>\n<tr>";
                for c in header {
                    h += &format!("<th>{}</th>", escape(c));
                }
                h += "</tr>\n";
                for r in rows {
                    h += "<tr>";
                    for c in r {
                        h += &format!("<td>{}</td>", escape(c));
                    }
                    h += "</tr>\n";
                }
                h += "</table>\n";
            }
            Block::Figure { stem, caption } => {
                let svg = dir.join(format!("{stem}.svg"));
                let bytes = std::fs::read(&svg).map_err(|error| ReportError::Read { path: svg.clone(), error })?;
                h += &format!(
                    "<figure>\n<img alt=\"{}\" src=\"data:image/svg+xml;base64,{}\">\n<figcaption>{}</figcaption>\n</figure>\n",
                    escape(caption),
                    base64(&bytes),
                    escape(caption)
                );
            }
            Block::Provenance(items) => {
                h += "<dl class=\"provenance\">\n";
                for (k, v) in items {
                    h += &format!("<dt>{}</dt><dd>{}</dd>\n", escape(k), escape(v));
                }
                h += "</dl>\n";
            }
        }
    }
    h += &format!("<script>\n{SCRIPT}\n</script>\n</body>\n</html>\n");
    std::fs::write(path, h).map_err(|error| ReportError::Io { path: path.to_path_buf(), error })
}

#[cfg(test)]
mod tests {
    use super::{base64, escape};

    #[test]
    fn base64_of_known_strings() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }
}
