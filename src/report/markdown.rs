//! report.md: the report in Markdown, with the PNG charts beside it linked.

use super::ReportError;
use super::document::{Block, Document};
use std::path::Path;

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn write_markdown(doc: &Document, path: &Path) -> Result<(), ReportError> {
    let mut m = format!("# {}\n\n", doc.title);
    for block in &doc.blocks {
        match block {
            Block::Heading(t) => m += &format!("## {t}\n\n"),
            Block::Paragraph(t) => m += &format!("{t}\n\n"),
            Block::List(items) => {
                for i in items {
                    m += &format!("- {i}\n");
                }
                m += "\n";
            }
            Block::Table { header, rows } => {
                m += &format!("| {} |\n", header.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
                m += &format!("|{}\n", "---|".repeat(header.len()));
                for r in rows {
                    m += &format!("| {} |\n", r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
                }
                m += "\n";
            }
            Block::Figure { stem, caption } => m += &format!("![{caption}]({stem}.png)\n\n*{caption}*\n\n"),
            Block::Provenance(items) => {
                for (k, v) in items {
                    m += &format!("- **{k}**: `{v}`\n");
                }
                m += "\n";
            }
        }
    }
    std::fs::write(path, m).map_err(|error| ReportError::Io { path: path.to_path_buf(), error })
}
