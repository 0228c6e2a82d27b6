//! Parse throughput: the largest seed report, text → AST (grammar + lowering),
//! and the whole check with the default schema and rules.
//! Run with `cargo bench --bench parse`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::settings::Settings;
use gongwen::source::Source;

const LARGEST_SEED: &str = include_str!("../tests/fixtures/corpus/seeds/000_d01c1fc9dfe130cb.txt");

fn parse(c: &mut Criterion) {
    let src = Source::from_text("000.txt", LARGEST_SEED);
    let schema = gongwen::schema::resolve(gongwen::schema::DEFAULT).unwrap();
    let settings = Settings::default();
    let mut g = c.benchmark_group("seed-000");
    g.throughput(Throughput::Bytes(LARGEST_SEED.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| gongwen::syntax::parse(std::hint::black_box(&src)))
    });
    g.bench_function("check", |b| {
        b.iter(|| gongwen::check(std::hint::black_box(&src), &schema, &settings))
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
