//! Writes a generated articles folder: `cargo run --release --example generate -- DIR COUNT [SEED]`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(count)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: generate DIR COUNT [SEED]");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    match broadsheet::generate::write_folder(&PathBuf::from(dir), count, seed) {
        Ok(paths) => {
            println!("wrote {} articles to {dir}", paths.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate: {dir}: {e}");
            ExitCode::FAILURE
        }
    }
}
