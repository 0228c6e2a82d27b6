//! Fix throughput: `check --fix` on the seed with the most fixes (004:
//! markup debris, broken paragraphs, half-width punctuation, spacing), i.e.
//! the check, the fix passes and the re-check that proves nothing is left.
//! Run with `cargo bench --bench fix`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::fix::{self, FixMode};
use gongwen::settings::Settings;
use gongwen::source::Source;

const SEED_004: &str = include_str!("../tests/fixtures/corpus/seeds/004_358b8f49ce69a1b0.txt");

fn fix_seed(c: &mut Criterion) {
    let src = Source::from_text("004.txt", SEED_004);
    let schema = gongwen::schema::resolve(gongwen::schema::DEFAULT).unwrap();
    let settings = Settings::default();
    let mut g = c.benchmark_group("seed-004");
    g.throughput(Throughput::Bytes(SEED_004.len() as u64));
    g.bench_function("check", |b| {
        b.iter(|| gongwen::check(std::hint::black_box(&src), &schema, &settings))
    });
    g.bench_function("fix", |b| {
        b.iter(|| {
            fix::fix(
                std::hint::black_box(&src),
                &schema,
                &settings,
                FixMode::default(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, fix_seed);
criterion_main!(benches);
