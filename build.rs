//! Converts the built-in schemas (`schemas/*.yaml`) to JSON at build time.
//!
//! Reading a schema with serde_yaml costs a one-report process about a
//! third of its instructions; the same data read with serde_json costs a
//! tenth of that. The YAML files stay the one source: `schema::builtin`
//! reads the JSON written here, `schema::parse` still reads YAML (user
//! schemas, and the error path), and a test checks that both readings of
//! every built-in give the same schema.

use std::{env, fs, path::Path};

const BUILTIN: &[&str] = &["fazhi-annual-report", "xxgk-annual-report"];

fn main() {
    let out = env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    for id in BUILTIN {
        let path = format!("schemas/{id}.yaml");
        println!("cargo::rerun-if-changed={path}");
        let yaml = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        // A YAML file that is not valid gives a JSON `null`: the crate then
        // falls back to the YAML reader, which reports the problem in place.
        let json = serde_yaml::from_str::<serde_yaml::Value>(&yaml)
            .ok()
            .and_then(|v| serde_json::to_string(&v).ok())
            .unwrap_or_else(|| "null".to_string());
        fs::write(Path::new(&out).join(format!("{id}.json")), json)
            .unwrap_or_else(|e| panic!("{id}.json: {e}"));
    }
}
