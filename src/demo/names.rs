//! Realistic Chinese names for the demo school, drawn from a small seeded
//! generator so the demo is the same on every machine and every run.

/// A tiny deterministic generator (SplitMix64): the demo needs variety, not
/// cryptographic randomness, and no dependency.
pub struct DemoRng(u64);

impl DemoRng {
    pub fn new(seed: u64) -> Self {
        DemoRng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "萧", "田", "董", "潘", "袁", "蔡",
    "蒋", "余", "欧阳", "司马",
];
const BOY: &[&str] = &[
    "浩", "宇", "轩", "泽", "睿", "博", "子", "俊", "杰", "晨", "铭", "皓", "然", "一", "诺", "天", "佑", "明", "辰",
    "阳", "航", "凯", "昊", "嘉", "瑞", "霖", "哲", "翔", "煜", "骏",
];
const GIRL: &[&str] = &[
    "欣", "怡", "梓", "涵", "雨", "萱", "诗", "琪", "若", "曦", "佳", "悦", "可", "馨", "一", "依", "思", "彤", "语",
    "桐", "沐", "晴", "婉", "宁", "安", "瑶", "妍", "心", "乐", "柠",
];
const ADULT_GIVEN: &[&str] = &[
    "建国", "志强", "丽华", "秀英", "海燕", "晓东", "红梅", "伟", "静", "敏", "磊", "洋", "艳", "勇", "军", "杰", "娟",
    "涛", "明", "超", "霞", "平", "刚", "桂英", "春燕", "文", "辉", "玲", "斌", "慧",
];

/// A child's name: surname and one or two given characters.
pub fn child_name(rng: &mut DemoRng, boy: bool) -> (String, String) {
    let surname = *rng.pick(SURNAMES);
    let pool = if boy { BOY } else { GIRL };
    let mut given = rng.pick(pool).to_string();
    if rng.chance(80) {
        given.push_str(rng.pick::<&str>(pool));
    }
    (format!("{surname}{given}"), surname.to_string())
}

/// An adult name with a given surname (a parent shares the child's surname).
pub fn adult_name(rng: &mut DemoRng, surname: Option<&str>) -> String {
    let surname = surname.map(str::to_string).unwrap_or_else(|| rng.pick(SURNAMES).to_string());
    format!("{surname}{}", rng.pick(ADULT_GIVEN))
}

/// A plausible mainland mobile number.
pub fn phone(rng: &mut DemoRng) -> String {
    let prefix = *rng.pick(&["138", "139", "135", "136", "137", "150", "151", "158", "186", "187", "189", "177"]);
    format!("{prefix}{:08}", rng.below(100_000_000))
}
