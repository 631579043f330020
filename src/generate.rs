//! A deterministic generator of London Daily pages, for benchmarks and tests: realistic sizes
//! (about 8 KB), a known topic per article, stories of a few reports each over a few weeks (a
//! name, a place and words of their own), a large vocabulary drawn the way real words are
//! (Zipf), dates over two years, and related lists that name other generated stories and some
//! stories that are not in the folder.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate};

/// A small, fast, seedable generator (xorshift64*): the same seed gives the same folder on
/// every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// A number in `0..1`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// How many reports a generated story has: articles `k * STORY_SIZE ..` belong to story `k`.
pub const STORY_SIZE: usize = 5;

/// How many distinct words the background vocabulary has.
const VOCABULARY: usize = 30_000;

const SYLLABLES: [&str; 20] = [
    "ba", "de", "ki", "lo", "mu", "ra", "se", "ti", "vo", "zu", "ne", "pa", "gri", "sto", "len",
    "mar", "dor", "fel", "quin", "tra",
];

/// Word `k` of the background vocabulary: two to four syllables.
fn vocabulary_word(k: usize) -> String {
    let mut n = k + SYLLABLES.len();
    let mut word = String::new();
    while n > 0 {
        word.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
    }
    word
}

/// A word of the background vocabulary, common ones far more often than rare ones (word k is
/// drawn with probability about 1/k, as in real text).
fn common_word(rng: &mut Rng) -> String {
    let k = (VOCABULARY as f64).powf(rng.unit()) as usize;
    vocabulary_word(k.saturating_sub(1))
}

/// What the reports of one story share.
struct Invented {
    topic: usize,
    start: NaiveDate,
    place: &'static str,
    /// A surname made up for the story, in its headlines and bodies.
    name: String,
    /// Words only this story uses often.
    words: [String; 3],
}

fn story(seed: u64, number: usize) -> Invented {
    let mut rng = Rng::new(seed ^ (number as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ 0x570);
    let topic = rng.below(TOPICS.len());
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let start = start
        .checked_add_days(Days::new(rng.below(710) as u64))
        .unwrap_or(start);
    let place = PLACES[rng.below(PLACES.len())];
    // Rare words (far down the vocabulary) so that the story's reports share what others lack.
    let mut rare = || vocabulary_word(VOCABULARY + rng.below(200_000));
    let name = capitalise(&rare());
    let words = [rare(), rare(), rare()];
    Invented {
        topic,
        start,
        place,
        name,
        words,
    }
}

/// The topics generated articles are about: a name and the words that mark them.
pub const TOPICS: [(&str, [&str; 12]); 8] = [
    (
        "summit",
        [
            "summit",
            "diplomats",
            "treaty",
            "delegation",
            "ministers",
            "communique",
            "embassy",
            "negotiations",
            "ambassador",
            "bilateral",
            "sanctions",
            "envoy",
        ],
    ),
    (
        "markets",
        [
            "shares",
            "investors",
            "bonds",
            "inflation",
            "earnings",
            "dividend",
            "stocks",
            "traders",
            "currency",
            "yields",
            "portfolio",
            "valuation",
        ],
    ),
    (
        "climate",
        [
            "emissions",
            "glaciers",
            "drought",
            "renewables",
            "carbon",
            "wildfires",
            "rainfall",
            "heatwave",
            "flooding",
            "turbines",
            "coastline",
            "forests",
        ],
    ),
    (
        "football",
        [
            "striker",
            "goalkeeper",
            "midfielder",
            "league",
            "penalty",
            "stadium",
            "referee",
            "transfer",
            "championship",
            "fixture",
            "supporters",
            "manager",
        ],
    ),
    (
        "technology",
        [
            "software",
            "chips",
            "startup",
            "algorithm",
            "smartphone",
            "servers",
            "encryption",
            "robotics",
            "semiconductor",
            "platform",
            "developers",
            "bandwidth",
        ],
    ),
    (
        "health",
        [
            "hospital",
            "vaccine",
            "patients",
            "nurses",
            "clinical",
            "surgeons",
            "infection",
            "diagnosis",
            "pharmacy",
            "epidemic",
            "therapy",
            "wards",
        ],
    ),
    (
        "courts",
        [
            "judge",
            "jury",
            "verdict",
            "prosecutors",
            "defendant",
            "appeal",
            "testimony",
            "barrister",
            "sentencing",
            "courtroom",
            "acquittal",
            "lawsuit",
        ],
    ),
    (
        "space",
        [
            "rocket",
            "orbit",
            "astronauts",
            "telescope",
            "launch",
            "satellite",
            "lunar",
            "spacecraft",
            "mission",
            "asteroid",
            "capsule",
            "observatory",
        ],
    ),
];

const PLACES: [&str; 16] = [
    "London", "Paris", "Beijing", "Moscow", "Berlin", "Tokyo", "Canberra", "Ottawa", "Madrid",
    "Rome", "Delhi", "Brasilia", "Nairobi", "Seoul", "Warsaw", "Lisbon",
];

const VERBS: [&str; 12] = [
    "urges",
    "warns",
    "rejects",
    "backs",
    "delays",
    "unveils",
    "questions",
    "defends",
    "announces",
    "challenges",
    "welcomes",
    "weighs",
];

const FILLER: [&str; 48] = [
    "the",
    "government",
    "said",
    "on",
    "Tuesday",
    "that",
    "officials",
    "would",
    "review",
    "plans",
    "after",
    "weeks",
    "of",
    "pressure",
    "from",
    "critics",
    "who",
    "argue",
    "the",
    "measures",
    "go",
    "too",
    "far",
    "while",
    "others",
    "say",
    "they",
    "do",
    "not",
    "go",
    "far",
    "enough",
    "according",
    "to",
    "people",
    "familiar",
    "with",
    "the",
    "matter",
    "and",
    "a",
    "statement",
    "released",
    "late",
    "in",
    "the",
    "evening",
    "spokesperson",
];

/// Stories the related lists name that are never in the folder.
const ELSEWHERE: [&str; 6] = [
    "Weather Warning Issued as Storm Approaches the Coast",
    "Celebrity Chef Opens Restaurant in Former Bank",
    "Museum Returns Artefacts After Decades-Long Campaign",
    "Rail Strike Called Off After Last-Minute Deal",
    "Record Crowds Expected at Summer Festival",
    "Lottery Winner Donates Prize to Local Hospital",
];

/// One generated article's facts, for tests that need to know the right answer.
#[derive(Debug, Clone)]
pub struct Generated {
    pub index: usize,
    /// The story the article reports on (a few articles, weeks apart at most, share one).
    pub story: usize,
    pub topic: usize,
    pub date: NaiveDate,
    pub headline: String,
}

/// The facts of article `index` of a folder made with `seed`: cheap, without its body.
pub fn facts(seed: u64, index: usize) -> Generated {
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let number = index / STORY_SIZE;
    let story = story(seed, number);
    let words = &TOPICS[story.topic].1;
    let date = story
        .start
        .checked_add_days(Days::new(rng.below(21) as u64))
        .unwrap_or(story.start);
    let headline = format!(
        "{} {} {} {} as {} {} {}",
        story.place,
        VERBS[rng.below(VERBS.len())],
        capitalise(rng.pick(words)),
        capitalise(rng.pick(words)),
        story.name,
        rng.pick(&["Talks", "Row", "Plan", "Deal", "Review", "Vote"]),
        index,
    );
    Generated {
        index,
        story: number,
        topic: story.topic,
        date,
        headline,
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// The full page text of article `index` of `total`.
pub fn page(seed: u64, index: usize, total: usize) -> String {
    let this = facts(seed, index);
    let own = story(seed, this.story);
    let mut rng = Rng::new(seed.wrapping_add(index as u64).wrapping_mul(31) ^ 0x5EED);
    let words = &TOPICS[this.topic].1;
    let sentence = |rng: &mut Rng, len: usize| -> String {
        let mut s = String::new();
        for k in 0..len {
            let word = match rng.below(32) {
                0..8 => rng.pick(words).to_string(),
                8 => own.name.clone(),
                9 => own.words[rng.below(3)].clone(),
                10..18 => common_word(rng),
                _ => rng.pick(&FILLER).to_string(),
            };
            if k == 0 {
                s.push_str(&capitalise(&word));
            } else {
                s.push(' ');
                s.push_str(&word);
            }
        }
        s.push('.');
        s
    };
    let date = this.date;
    let mut text = format!(
        "London Daily\n\nFocus on the big picture.\n{}, {} {:02}, {}\n\n{}\n\n{}\n\n",
        date.format("%A"),
        date.format("%b"),
        date.day(),
        date.year(),
        this.headline,
        this.headline,
    );
    text.push_str(&sentence(&mut rng, 24));
    text.push_str("\n\n");
    let paragraphs = 12 + rng.below(8);
    for p in 0..paragraphs {
        if p == paragraphs / 2 && rng.below(3) == 0 {
            text.push_str(&capitalise(rng.pick(words)));
            text.push_str(" and the ");
            text.push_str(rng.pick(words));
            text.push_str("\n\n\n");
        }
        for _ in 0..3 {
            let len = 12 + rng.below(10);
            text.push_str(&sentence(&mut rng, len));
            text.push(' ');
        }
        text.pop();
        text.push_str("\n\n");
    }
    text.push_str("Newsletter\n\nRelated Articles\n\n0:00\n0:00\nClose\n");
    for _ in 0..(20 + rng.below(20)) {
        if rng.below(6) == 0 {
            text.push_str(rng.pick(&ELSEWHERE));
        } else {
            // Mostly stories of the same topic, as a publisher's list would be.
            let other = nearby_same_topic(seed, index, total, &mut rng);
            text.push_str(&facts(seed, other).headline);
        }
        text.push('\n');
    }
    text.push('×');
    text
}

/// Another article index, often of the same topic as `index`.
fn nearby_same_topic(seed: u64, index: usize, total: usize, rng: &mut Rng) -> usize {
    let topic = facts(seed, index).topic;
    for _ in 0..8 {
        let other = rng.below(total.max(1));
        if other != index && facts(seed, other).topic == topic {
            return other;
        }
    }
    rng.below(total.max(1))
}

/// The file name of article `index`.
pub fn file_name(index: usize) -> String {
    format!(
        "{:06}_{:016x}.txt",
        index,
        Rng::new(index as u64).next_u64()
    )
}

/// Writes `count` articles into `dir` (spread over a few sub-folders, as a scraper's dated
/// folders would be) and returns their paths.
pub fn write_folder(dir: &Path, count: usize, seed: u64) -> io::Result<Vec<PathBuf>> {
    let mut paths = Vec::with_capacity(count);
    for index in 0..count {
        let sub = dir.join(format!("batch-{:03}", index / 1000));
        if index % 1000 == 0 {
            fs::create_dir_all(&sub)?;
        }
        let path = sub.join(file_name(index));
        fs::write(&path, page(seed, index, count))?;
        paths.push(path);
    }
    Ok(paths)
}

/// A library of `count` generated articles made in memory, without touching the disk: for
/// benchmarks of what comes after loading (the index, related stories, search) at sizes where
/// writing the folder would take longer than the measurement.
pub fn library(count: usize, seed: u64) -> crate::library::Library {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = count.div_ceil(workers).max(1);
    let articles = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..count)
            .step_by(chunk)
            .map(|start| {
                scope.spawn(move || {
                    (start..(start + chunk).min(count))
                        .filter_map(|index| {
                            let mut article = crate::article::parse(&page(seed, index, count))
                                .ok()?
                                .article;
                            article.path = PathBuf::from(file_name(index));
                            Some(article)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().ok())
            .flatten()
            .collect()
    });
    crate::library::Library::new(articles, Vec::new())
}
