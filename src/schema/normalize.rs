//! Text normalisation for matching headings and keywords: Traditional
//! characters read as Simplified (建設 → 建设, 舉措 → 举措), full-width digits
//! and letters as ASCII, ASCII punctuation as full-width, white space
//! dropped. Every normalised character remembers the byte range it came
//! from, so a match in normalised text is a span in the source.

use std::sync::OnceLock;

use crate::source::Span;

/// Traditional → Simplified, one character each (pairs separated by
/// spaces). Covers the vocabulary of government reports, not all of
/// Chinese; a character not listed is kept as it is.
const TRAD_SIMP: &[&str] = &[
    "並并 亂乱 亞亚 佈布 佔占 併并 來来 侖仑 倉仓 個个 們们 倫伦 偉伟",
    "側侧 偽伪 傑杰 備备 傳传 債债 傷伤 僅仅 僑侨 僞伪 僱雇 價价 儀仪",
    "億亿 儘尽 償偿 優优 儲储 兇凶 兌兑 兒儿 內内 兩两 冊册 凈净 凱凯",
    "別别 刪删 則则 剛刚 剝剥 創创 劃划 劇剧 劉刘 劍剑 劑剂 勁劲 動动",
    "務务 勝胜 勞劳 勢势 勳勋 勵励 勸劝 勻匀 匯汇 匱匮 區区 協协 卻却",
    "厙厍 厭厌 厲厉 參参 叢丛 吳吴 員员 問问 啓启 啟启 單单 嗎吗 嘆叹",
    "噸吨 嚇吓 嚮向 嚴严 囑嘱 國国 圍围 園园 圓圆 圖图 團团 執执 堅坚",
    "報报 場场 塊块 塗涂 塵尘 墊垫 墜坠 墾垦 壇坛 壓压 壞坏 壩坝 壯壮",
    "壽寿 夠够 夢梦 夾夹 奧奥 奪夺 奬奖 奮奋 妝妆 娛娱 婦妇 媽妈 嬰婴",
    "孫孙 學学 宮宫 寢寝 實实 寧宁 審审 寫写 寬宽 寵宠 寶宝 將将 專专",
    "尋寻 對对 導导 屆届 屍尸 層层 屬属 岡冈 島岛 崗岗 崙仑 嶺岭 嶼屿",
    "帥帅 師师 帳帐 帶带 幟帜 幣币 幫帮 幹干 幾几 庫库 廈厦 廚厨 廟庙",
    "廠厂 廢废 廣广 廳厅 張张 強强 彈弹 彌弥 彙汇 後后 徑径 從从 復复",
    "徵征 徹彻 惡恶 惱恼 愛爱 愜惬 態态 慘惨 慚惭 慣惯 慮虑 慶庆 憂忧",
    "憑凭 憤愤 憲宪 憶忆 懇恳 應应 懲惩 懶懒 懷怀 懸悬 懺忏 懼惧 戀恋",
    "戰战 戲戏 戶户 拋抛 捨舍 掃扫 掛挂 採采 揚扬 換换 揮挥 揹背 損损",
    "搖摇 搶抢 撈捞 撐撑 撥拨 撫抚 撲扑 撿捡 擁拥 擇择 擊击 擋挡 擔担",
    "據据 擠挤 擬拟 擱搁 擲掷 擴扩 擷撷 擺摆 擾扰 攏拢 攔拦 攜携 攝摄",
    "攤摊 攪搅 攬揽 敗败 敘叙 敵敌 數数 斂敛 斃毙 斷断 於于 昇升 時时",
    "晉晋 晝昼 暈晕 暢畅 暫暂 曆历 曉晓 曬晒 書书 會会 東东 枴拐 條条",
    "棄弃 棗枣 棟栋 棧栈 棲栖 楊杨 楨桢 業业 極极 榮荣 構构 槍枪 槓杠",
    "樁桩 樂乐 樓楼 標标 樞枢 樣样 樸朴 樹树 樺桦 橋桥 機机 橢椭 橫横",
    "檔档 檢检 檯台 檻槛 櫃柜 櫓橹 櫻樱 欄栏 權权 欽钦 歎叹 歐欧 歛敛",
    "歡欢 歲岁 歷历 歸归 殘残 殤殇 殯殡 殲歼 殺杀 殼壳 毀毁 毬球 氈毡",
    "氣气 氫氢 汙污 決决 沍冱 沒没 沖冲 況况 涼凉 淒凄 淚泪 淨净 淪沦",
    "淺浅 渙涣 減减 渦涡 測测 渾浑 湧涌 湯汤 準准 溝沟 溫温 溼湿 滅灭",
    "滌涤 滬沪 滯滞 滲渗 滷卤 滾滚 滿满 漁渔 漢汉 漲涨 漸渐 潑泼 潔洁",
    "潛潜 潤润 潰溃 澆浇 澇涝 澤泽 濃浓 濕湿 濘泞 濟济 濤涛 濫滥 濱滨",
    "瀆渎 瀕濒 瀘泸 瀝沥 灑洒 灕漓 灘滩 灣湾 災灾 為为 烏乌 無无 煉炼",
    "煒炜 煙烟 煩烦 熱热 燈灯 燒烧 營营 燦灿 燭烛 燴烩 爐炉 爛烂 爭争",
    "爾尔 牆墙 牠它 牽牵 犖荦 犛牦 犧牺 狀状 狹狭 狽狈 猶犹 猻狲 獄狱",
    "獎奖 獨独 獲获 獵猎 獸兽 獻献 玆兹 現现 琺珐 瑋玮 瑪玛 環环 璽玺",
    "瓊琼 甌瓯 甕瓮 產产 畝亩 畢毕 畫画 異异 當当 疇畴 疊叠 瘋疯 瘡疮",
    "療疗 癒愈 癱瘫 發发 皚皑 皰疱 盜盗 盡尽 監监 盤盘 盧卢 盪荡 眥眦",
    "眾众 睏困 睞睐 瞞瞒 瞭了 矚瞩 矯矫 硃朱 碩硕 確确 碼码 磚砖 礎础",
    "礦矿 祕秘 禍祸 禕祎 禦御 禮礼 稅税 稟禀 種种 稱称 穀谷 積积 穠秾",
    "穩稳 窪洼 窮穷 窺窥 竄窜 竊窃 競竞 筆笔 筧笕 箋笺 節节 範范 築筑",
    "篩筛 簡简 簽签 簾帘 籃篮 籌筹 籠笼 籤签 籬篱 粧妆 粵粤 糞粪 糧粮",
    "糴籴 糾纠 紀纪 紂纣 約约 紅红 紋纹 納纳 紐纽 紓纾 純纯 紗纱 紘纮",
    "紙纸 級级 紛纷 紡纺 細细 紳绅 紹绍 終终 組组 結结 絕绝 絛绦 絜洁",
    "絡络 給给 絨绒 統统 絲丝 綏绥 經经 綜综 綠绿 綢绸 綫线 維维 綱纲",
    "網网 綻绽 綿绵 緊紧 緒绪 線线 緝缉 緞缎 締缔 緣缘 編编 緩缓 緯纬",
    "練练 緻致 縈萦 縛缚 縣县 縫缝 縮缩 縱纵 縷缕 總总 績绩 織织 繕缮",
    "繚缭 繞绕 繩绳 繪绘 繳缴 繼继 續续 纏缠 纖纤 罈坛 罌罂 罰罚 罵骂",
    "罷罢 羅罗 羥羟 義义 羶膻 習习 翬翚 翹翘 翺翱 聖圣 聞闻 聯联 聰聪",
    "聲声 聳耸 聵聩 職职 聽听 聾聋 肅肃 脅胁 脈脉 脣唇 脫脱 脹胀 腦脑",
    "腫肿 腳脚 膚肤 膠胶 膽胆 膾脍 臉脸 臏膑 臟脏 臨临 與与 興兴 舉举",
    "舊旧 艙舱 艤舣 艦舰 艱艰 艷艳 芻刍 茲兹 荊荆 莊庄 莖茎 華华 萊莱",
    "萬万 葉叶 蒐搜 蒞莅 蒼苍 蓋盖 蓮莲 蓽荜 蔔卜 蔞蒌 蔣蒋 蔭荫 蕁荨",
    "蕭萧 薈荟 薊蓟 薦荐 薺荠 藍蓝 藝艺 藥药 蘆芦 蘇苏 蘊蕴 蘚藓 蘭兰",
    "處处 虛虚 虜虏 號号 蝦虾 螢萤 蟲虫 蠍蝎 蠶蚕 蠻蛮 衆众 衊蔑 術术",
    "衛卫 衝冲 袞衮 裏里 補补 裝装 裡里 製制 複复 褲裤 褸褛 襖袄 襪袜",
    "襲袭 見见 規规 覓觅 視视 覦觎 親亲 覺觉 覽览 觀观 觸触 訂订 訃讣",
    "計计 訊讯 討讨 訓训 訕讪 託托 記记 訝讶 訟讼 訣诀 訪访 設设 許许",
    "訴诉 診诊 証证 詆诋 詐诈 評评 詛诅 詞词 詠咏 詢询 試试 詩诗 詭诡",
    "話话 該该 詳详 誅诛 誇夸 誌志 認认 誕诞 誘诱 語语 誠诚 誡诫 誤误",
    "誦诵 說说 誰谁 課课 誹诽 誼谊 調调 諂谄 談谈 請请 諒谅 論论 諛谀",
    "諜谍 諧谐 諮咨 諱讳 諸诸 諾诺 謀谋 謁谒 謂谓 謄誊 謊谎 謎谜 謗谤",
    "謙谦 講讲 謝谢 謠谣 謬谬 謹谨 譁哗 證证 識识 譜谱 譟噪 譯译 議议",
    "譴谴 護护 譽誉 讀读 變变 讓让 讚赞 讞谳 豈岂 豎竖 豐丰 豔艳 豬猪",
    "貓猫 貝贝 貞贞 負负 財财 貢贡 貧贫 貨货 販贩 貫贯 責责 貴贵 貸贷",
    "費费 貿贸 賀贺 資资 賑赈 賒赊 賓宾 賠赔 賢贤 賣卖 賤贱 賦赋 質质",
    "賬账 賴赖 賸剩 購购 賽赛 贅赘 贈赠 贊赞 贏赢 贓赃 贛赣 趕赶 趙赵",
    "趨趋 趲趱 跡迹 跼局 踐践 踴踊 蹤踪 蹺跷 躉趸 躍跃 軀躯 車车 軌轨",
    "軍军 軛轭 軟软 軸轴 較较 載载 輓挽 輔辅 輕轻 輛辆 輝辉 輪轮 輯辑",
    "輸输 轄辖 轉转 轍辙 轎轿 轟轰 轢轹 辦办 辭辞 辮辫 辯辩 農农 迆迤",
    "迴回 逕径 這这 連连 週周 進进 遊游 運运 過过 達达 違违 遙遥 遞递",
    "遠远 適适 遲迟 選选 遺遗 邁迈 還还 邊边 邏逻 邐逦 郵邮 鄉乡 鄧邓",
    "鄭郑 鄰邻 醃腌 醜丑 醫医 釀酿 釋释 釐厘 釘钉 針针 鈔钞 鈕钮 鈞钧",
    "鈣钙 鉅巨 鉗钳 鉛铅 銀银 銅铜 銓铨 銖铢 銜衔 銳锐 銷销 鋁铝 鋒锋",
    "鋤锄 鋪铺 鋼钢 錄录 錢钱 錦锦 錨锚 錫锡 錯错 鍊链 鍋锅 鍍镀 鍵键",
    "鎂镁 鎊镑 鎖锁 鎮镇 鏈链 鏡镜 鏽锈 鐘钟 鐫镌 鐲镯 鐵铁 鑑鉴 鑒鉴",
    "鑰钥 長长 門门 閃闪 閉闭 開开 閑闲 閒闲 間间 閔闵 閘闸 閣阁 閨闺",
    "閱阅 闈闱 闊阔 闔阖 闖闯 關关 闡阐 阨厄 陝陕 陣阵 陰阴 陳陈 陸陆",
    "陽阳 隊队 階阶 隕陨 際际 隣邻 隨随 險险 隱隐 隴陇 隸隶 雋隽 雖虽",
    "雙双 雛雏 雜杂 雞鸡 離离 難难 雲云 電电 霑沾 霧雾 霽霁 靈灵 靚靓",
    "靜静 靦腼 鞦秋 韁缰 韋韦 韌韧 韓韩 韻韵 響响 頁页 頂顶 頃顷 項项",
    "順顺 須须 頌颂 預预 頒颁 頓顿 頗颇 領领 頭头 頰颊 頷颔 頹颓 頻频",
    "顆颗 題题 額额 顏颜 願愿 顛颠 類类 顧顾 顫颤 顯显 風风 颱台 颳刮",
    "颼飕 飄飘 飛飞 飢饥 飯饭 飲饮 飼饲 飽饱 飾饰 養养 餓饿 餘余 餚肴",
    "餞饯 館馆 饋馈 饑饥 饒饶 馬马 馮冯 駁驳 駐驻 駕驾 駛驶 駝驼 駱骆",
    "騎骑 騙骗 騰腾 騷骚 驅驱 驕骄 驗验 驚惊 驟骤 驢驴 驪骊 骯肮 髏髅",
    "髒脏 體体 髖髋 髮发 鬆松 鬍胡 鬥斗 鬧闹 鬱郁 魘魇 魚鱼 魯鲁 鮮鲜",
    "鯉鲤 鯨鲸 鳥鸟 鳳凤 鳴鸣 鴨鸭 鴻鸿 鵬鹏 鶯莺 鶴鹤 鷹鹰 鹽盐 麗丽",
    "麥麦 麩麸 麼么 黃黄 點点 黨党 黴霉 黷黩 黽黾 鼴鼹 齊齐 齋斋 齏齑",
    "齒齿 齡龄 龍龙 龜龟",
];

/// The first and last code points of the table (all in the CJK Unified
/// Ideographs block).
const CJK_FIRST: u32 = 0x4E00;
const CJK_LAST: u32 = 0x9FFF;

/// Direct lookup over the CJK block. Folding runs on every character of
/// every text compared, so it must be one array access: a bit set (2.5 KB,
/// stays in cache) says whether a character is Traditional, and only then
/// `simp` (the Simplified code point) is read.
struct Table {
    traditional: Vec<u64>,
    simp: Vec<u32>,
    /// For [`push_norm`]: the three-byte characters (U+0800..=U+FFFF)
    /// kept as they are (not Traditional, not in [`SPECIAL3`]), a bit set
    /// per first two bytes (the entry `u16::from_le_bytes([lead, second])`)
    /// over the third byte's low six bits. The entries of every other
    /// pair of bytes are empty, so that one look-up of two bytes read as
    /// one also tells a three-byte character. Mostly untouched zero pages
    /// (only the rows of valid second bytes of the lead bytes E0..=EF are
    /// written).
    kept3: Box<[u64; 1 << 16]>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let n = (CJK_LAST - CJK_FIRST + 1) as usize;
        let mut t = Table {
            traditional: vec![0u64; n.div_ceil(64)],
            simp: vec![0u32; n],
            kept3: vec![0u64; 1 << 16]
                .into_boxed_slice()
                .try_into()
                .unwrap_or_else(|_| unreachable!()),
        };
        for x in 0xE0..=0xEFu8 {
            for b1 in 0x80..=0xBFu8 {
                t.kept3[usize::from(u16::from_le_bytes([x, b1]))] = u64::MAX;
            }
        }
        // Clear the bit of a three-byte character (its code point).
        let mut change = |u: u32| {
            let x = 0xE0 | (u >> 12) as u8;
            let b1 = 0x80 | ((u >> 6) & 0x3F) as u8;
            t.kept3[usize::from(u16::from_le_bytes([x, b1]))] &= !(1 << (u & 0x3F));
        };
        for u in SPECIAL3.iter().flat_map(|r| r.clone()) {
            change(u);
        }
        for row in TRAD_SIMP {
            for pair in row.split_whitespace() {
                let mut cs = pair.chars();
                if let (Some(a), Some(b)) = (cs.next(), cs.next())
                    && (CJK_FIRST..=CJK_LAST).contains(&(a as u32))
                {
                    let i = (a as u32 - CJK_FIRST) as usize;
                    t.simp[i] = b as u32;
                    t.traditional[i / 64] |= 1 << (i % 64);
                    change(a as u32);
                }
            }
        }
        t
    })
}

impl Table {
    /// Whether the bytes are a three-byte character (lead byte `x`) that
    /// [`push_norm`] keeps as it is: not Traditional, not in [`SPECIAL3`].
    #[inline]
    fn kept3(&self, x: u8, b1: u8, b2: u8) -> bool {
        self.kept_bits(x, b1, b2) & 1 != 0
    }

    /// Lowest bit set when [`Table::kept3`] holds, clear otherwise (the
    /// other bits are noise): several characters' bits can be and-ed and
    /// tested with one branch. One load of the first two bytes as one
    /// index, one shift by the third byte (its low six bits).
    #[inline]
    fn kept_bits(&self, x: u8, b1: u8, b2: u8) -> u64 {
        self.kept3[usize::from(u16::from_le_bytes([x, b1]))].wrapping_shr(u32::from(b2))
    }

    /// The Simplified form of a character of the CJK block (`i` is its
    /// index in the block), if it is Traditional.
    #[inline]
    fn get(&self, i: usize) -> Option<char> {
        if self.traditional[i / 64] & (1 << (i % 64)) == 0 {
            return None;
        }
        char::from_u32(self.simp[i])
    }
}

#[inline]
fn simplified(c: char) -> Option<char> {
    let u = c as u32;
    if !(CJK_FIRST..=CJK_LAST).contains(&u) {
        return None;
    }
    table().get((u - CJK_FIRST) as usize)
}

/// Whether a character is written in its Traditional form (one the table
/// knows).
pub fn is_traditional(c: char) -> bool {
    simplified(c).is_some()
}

#[inline]
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{3000}' | '\u{a0}' | '\u{feff}' | '\u{200b}')
}

/// One character as it is compared.
#[inline]
pub fn fold(c: char) -> char {
    if let Some(s) = simplified(c) {
        return s;
    }
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(c as u32 - 0xFF10 + 0x30).unwrap_or(c)
        }
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '(' => '（',
        ')' => '）',
        '!' => '！',
        '?' => '？',
        _ => c,
    }
}

/// A normalised string (see [`fold`]) for comparing, without white space.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_norm(&mut out, s);
    out
}

/// Append the normalised form of `s` to `out` (`norm` of a concatenation
/// is the concatenation of the `norm`s). Runs of characters that stay as
/// they are (most of a Simplified text) are copied whole.
///
/// Works on bytes: an ASCII byte needs only the white-space and
/// punctuation tests (one table look-up), a three-byte character only
/// one bit (`Table::kept3`) unless it is Traditional or in [`SPECIAL3`];
/// everything else goes through [`fold`]
/// (see [`push_norm_chars`], the same per character, which a test
/// compares with this).
///
/// Returns how many of the first bytes of `s` were appended as they are
/// (`s.len()`: nothing folded or dropped).
pub fn push_norm(out: &mut String, s: &str) -> usize {
    push_norm_with(out, s, |_, _| {})
}

/// [`push_norm`], calling `changed(i, len)` after each character folded or
/// dropped: `i` is where the character ends in `s`, `len` the length of
/// `out` then (past its folded form). Between two such calls (and before
/// the first) the characters are kept as they are.
#[inline]
pub fn push_norm_with(out: &mut String, s: &str, mut changed: impl FnMut(usize, usize)) -> usize {
    out.reserve(s.len());
    let t = table();
    let b = s.as_bytes();
    let n = b.len();
    let mut run = 0;
    let mut i = 0;
    // Where the first character folded or dropped starts.
    let mut same_upto = None;
    while i < n {
        // Runs of kept three-byte characters (most of a Chinese text):
        // four at a time with one branch.
        while let Some(c) = b.get(i..i + 12) {
            let all = t.kept_bits(c[0], c[1], c[2])
                & t.kept_bits(c[3], c[4], c[5])
                & t.kept_bits(c[6], c[7], c[8])
                & t.kept_bits(c[9], c[10], c[11]);
            if all & 1 == 0 {
                break;
            }
            i += 12;
        }
        // Then one character at a time, past the four that were not all
        // kept three-byte characters.
        let stop = (i + 12).min(n);
        while i < stop {
            let x = b[i];
            if x < 0x80 {
                match ASCII_CLASS[x as usize] {
                    KEEP => {}
                    SPACE => {
                        same_upto.get_or_insert(i);
                        out.push_str(&s[run..i]);
                        run = i + 1;
                        changed(run, out.len());
                    }
                    f => {
                        same_upto.get_or_insert(i);
                        out.push_str(&s[run..i]);
                        out.push(fold_ascii(f));
                        run = i + 1;
                        changed(run, out.len());
                    }
                }
                i += 1;
                continue;
            }
            if let Some(&[x, b1, b2]) = b.get(i..i + 3)
                && t.kept3(x, b1, b2)
            {
                i += 3;
                continue;
            }
            let c = s[i..].chars().next().unwrap_or('\0');
            let len = c.len_utf8();
            if is_space(c) {
                same_upto.get_or_insert(i);
                out.push_str(&s[run..i]);
                run = i + len;
                changed(run, out.len());
            } else {
                let f = fold(c);
                if f != c {
                    same_upto.get_or_insert(i);
                    out.push_str(&s[run..i]);
                    out.push(f);
                    run = i + len;
                    changed(run, out.len());
                }
            }
            i += len;
        }
    }
    out.push_str(&s[run..]);
    same_upto.unwrap_or(n)
}

/// Whether a character is in [`SPECIAL3`].
#[cfg(test)]
fn special3(u: u32) -> bool {
    SPECIAL3.iter().any(|r| r.contains(&u))
}

/// The three-byte characters outside the CJK block that may be white
/// space or folded (a superset: [`push_norm`] keeps every other one that
/// is not Traditional as it is without looking further).
const SPECIAL3: [std::ops::RangeInclusive<u32>; 10] = [
    0x1680..=0x1680,
    0x2000..=0x200B,
    0x2028..=0x2029,
    0x202F..=0x202F,
    0x205F..=0x205F,
    0x3000..=0x3000,
    0xFEFF..=0xFEFF,
    0xFF10..=0xFF19,
    0xFF21..=0xFF3A,
    0xFF41..=0xFF5A,
];

/// [`ASCII_CLASS`]: an ASCII character kept as it is.
const KEEP: u8 = 0;
/// [`ASCII_CLASS`]: ASCII white space, dropped.
const SPACE: u8 = 1;

/// What [`push_norm`] does with each ASCII byte: [`KEEP`], [`SPACE`], or
/// (the byte itself) fold it.
const ASCII_CLASS: [u8; 128] = {
    let mut t = [KEEP; 128];
    let mut i = 0;
    while i < 128 {
        let c = i as u8 as char;
        if c.is_ascii_whitespace() || i == 0x0b {
            t[i] = SPACE;
        } else if matches!(c, ',' | ';' | ':' | '(' | ')' | '!' | '?') {
            t[i] = i as u8;
        }
        i += 1;
    }
    t
};

/// [`fold`] of an ASCII punctuation mark that [`ASCII_CLASS`] says is
/// folded (without the Traditional look-up that [`fold`] starts with).
#[inline]
fn fold_ascii(f: u8) -> char {
    match f {
        b',' => '，',
        b';' => '；',
        b':' => '：',
        b'(' => '（',
        b')' => '）',
        b'!' => '！',
        b'?' => '？',
        _ => f as char,
    }
}

/// [`push_norm`] one character at a time: the plain definition.
#[cfg(test)]
fn push_norm_chars(out: &mut String, s: &str) {
    for c in s.chars() {
        if !is_space(c) {
            out.push(fold(c));
        }
    }
}

/// Normalised text that maps back to source byte offsets.
#[derive(Debug, Clone)]
pub struct Norm {
    pub text: String,
    /// For each char of `text`: (byte offset in `text`, source span).
    chars: Vec<(usize, Span)>,
}

impl Norm {
    /// Normalise `s`, which starts at byte `base` of the source.
    pub fn new(s: &str, base: usize) -> Norm {
        let mut text = String::with_capacity(s.len());
        let mut chars = Vec::with_capacity(s.len() / 3 + 1);
        for (i, c) in s.char_indices() {
            if is_space(c) {
                continue;
            }
            chars.push((text.len(), Span::new(base + i, base + i + c.len_utf8())));
            text.push(fold(c));
        }
        Norm { text, chars }
    }

    /// [`Norm::new`] only as far as normalised byte `upto`: enough for
    /// the [`Norm::span`] of a range that ends there.
    pub fn prefix(s: &str, base: usize, upto: usize) -> Norm {
        let mut text = String::new();
        let mut chars = Vec::new();
        for (i, c) in s.char_indices() {
            if text.len() >= upto {
                break;
            }
            if is_space(c) {
                continue;
            }
            chars.push((text.len(), Span::new(base + i, base + i + c.len_utf8())));
            text.push(fold(c));
        }
        Norm { text, chars }
    }

    /// `Norm::prefix(s, base, end).span(start, end)` without building the
    /// `Norm`: one pass over `s` as far as `end`.
    ///
    /// Reads bytes as [`push_norm`] does: a character kept as it is (most
    /// of a Simplified text) needs one table look-up.
    pub fn prefix_span(s: &str, base: usize, start: usize, end: usize) -> Span {
        let t = table();
        let b = s.as_bytes();
        let mut i = 0;
        let mut len = 0;
        let mut first = None;
        let mut last_end = None;
        while let Some(&x) = b.get(i) {
            if len >= end {
                break;
            }
            // The character's length in `s` and normalised (0: dropped).
            let (n, m) = match b.get(i..i + 3) {
                Some(&[x, b1, b2]) if t.kept3(x, b1, b2) => (3, 3),
                _ if x < 0x80 => match ASCII_CLASS[x as usize] {
                    KEEP => (1, 1),
                    SPACE => (1, 0),
                    f => (1, fold(f as char).len_utf8()),
                },
                _ => {
                    let c = s[i..].chars().next().unwrap_or('\0');
                    let m = if is_space(c) { 0 } else { fold(c).len_utf8() };
                    (c.len_utf8(), m)
                }
            };
            if m > 0 {
                if first.is_none() && len >= start {
                    first = Some(base + i);
                }
                last_end = Some(base + i + n);
                len += m;
            }
            i += n;
        }
        match (first, last_end) {
            (Some(a), Some(b)) => Span::new(a, b),
            _ => Span::empty(last_end.unwrap_or(0)),
        }
    }

    /// [`Norm::prefix_span`] one character at a time: the plain
    /// definition, which a test compares with it.
    #[cfg(test)]
    fn prefix_span_chars(s: &str, base: usize, start: usize, end: usize) -> Span {
        let mut len = 0;
        let mut first = None;
        let mut last_end = None;
        for (i, c) in s.char_indices() {
            if len >= end {
                break;
            }
            if is_space(c) {
                continue;
            }
            if first.is_none() && len >= start {
                first = Some(base + i);
            }
            last_end = Some(base + i + c.len_utf8());
            len += fold(c).len_utf8();
        }
        match (first, last_end) {
            (Some(a), Some(b)) => Span::new(a, b),
            _ => Span::empty(last_end.unwrap_or(0)),
        }
    }

    /// The source span of the normalised byte range `start..end` (both on
    /// char boundaries of `text`).
    pub fn span(&self, start: usize, end: usize) -> Span {
        let first = self.chars.partition_point(|(o, _)| *o < start);
        let last = self.chars.partition_point(|(o, _)| *o < end);
        match (
            self.chars.get(first),
            last.checked_sub(1).and_then(|l| self.chars.get(l)),
        ) {
            (Some((_, a)), Some((_, b))) if last > first => Span::new(a.start, b.end),
            (Some((_, a)), _) => Span::empty(a.start),
            _ => Span::empty(self.chars.last().map_or(0, |(_, s)| s.end)),
        }
    }

    /// The first occurrence of a normalised needle: its byte range in `text`.
    pub fn find(&self, needle: &str) -> Option<(usize, usize)> {
        if needle.is_empty() {
            return None;
        }
        self.text.find(needle).map(|i| (i, i + needle.len()))
    }

    /// Every occurrence of a normalised needle.
    pub fn find_all(&self, needle: &str) -> Vec<(usize, usize)> {
        if needle.is_empty() {
            return Vec::new();
        }
        self.text
            .match_indices(needle)
            .map(|(i, m)| (i, i + m.len()))
            .collect()
    }
}

/// Find `term` in `hay` (both normalised), allowing one wrong character
/// when the term has at least five (shorter ones would take 工作规划 for
/// 工作计划): 举错和成效 still finds 举措和成效.
/// Returns the byte range in `hay` and whether the match was exact.
pub fn find_fuzzy(hay: &str, term: &str) -> Option<(usize, usize, bool)> {
    if term.is_empty() {
        return None;
    }
    if let Some(i) = hay.find(term) {
        return Some((i, i + term.len(), true));
    }
    let t: Vec<char> = term.chars().collect();
    if t.len() < 5 {
        return None;
    }
    let h: Vec<(usize, char)> = hay.char_indices().collect();
    if h.len() < t.len() {
        return None;
    }
    for w in 0..=h.len() - t.len() {
        let mut wrong = 0;
        for (k, &tc) in t.iter().enumerate() {
            if h[w + k].1 != tc {
                wrong += 1;
                if wrong > 1 {
                    break;
                }
            }
        }
        // The first and last characters anchor the term: a different one
        // there is another word, not a slip.
        if wrong == 1 && h[w].1 == t[0] && h[w + t.len() - 1].1 == t[t.len() - 1] {
            let end = h.get(w + t.len()).map_or(hay.len(), |(i, _)| *i);
            return Some((h[w].0, end, false));
        }
    }
    None
}

/// A normalised search term prepared once (a schema's synonyms, keywords
/// and evidence words): its characters for the one-slip rule and a
/// substring finder built ahead of time.
#[derive(Clone)]
pub struct Term {
    pub text: String,
    chars: Vec<char>,
    /// The [`Hay::sig`] bits of its first and last characters.
    anchors: u64,
    finder: memchr::memmem::Finder<'static>,
}

impl std::fmt::Debug for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Term").field(&self.text).finish()
    }
}

impl Term {
    /// Prepare `s` (not yet normalised).
    pub fn new(s: &str) -> Term {
        let text = norm(s);
        let chars: Vec<char> = text.chars().collect();
        Term {
            anchors: chars.first().map_or(0, |&c| sig_bit(c))
                | chars.last().map_or(0, |&c| sig_bit(c)),
            chars,
            finder: memchr::memmem::Finder::new(text.as_bytes()).into_owned(),
            text,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The number of characters.
    pub fn len_chars(&self) -> usize {
        self.chars.len()
    }

    /// The first occurrence in `hay` (`str::find`).
    pub fn find(&self, hay: &str) -> Option<usize> {
        self.finder.find(hay.as_bytes())
    }

    /// The first occurrence in `hay` at byte `from` or after (`from` need
    /// not be a char boundary: a term starts on one).
    pub fn find_from(&self, hay: &str, from: usize) -> Option<usize> {
        let rest = hay.as_bytes().get(from..)?;
        self.finder.find(rest).map(|i| from + i)
    }

    /// Whether `hay` contains the term (`str::contains`).
    pub fn is_in(&self, hay: &str) -> bool {
        self.find(hay).is_some()
    }

    /// Non-overlapping occurrences, left to right (`str::match_indices`).
    pub fn find_iter<'h>(&'h self, hay: &'h str) -> impl Iterator<Item = usize> + 'h {
        self.finder.find_iter(hay.as_bytes())
    }

    /// The number of non-overlapping occurrences (`str::matches`).
    pub fn count_in(&self, hay: &str) -> usize {
        self.find_iter(hay).count()
    }
}

/// A normalised word searched from the end (`str::rfind`), its finder
/// built once.
#[derive(Clone)]
pub struct RevTerm {
    pub text: String,
    /// The [`Hay::sig`] bits of its first and last characters.
    anchors: u64,
    finder: memchr::memmem::FinderRev<'static>,
}

impl std::fmt::Debug for RevTerm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("RevTerm").field(&self.text).finish()
    }
}

impl RevTerm {
    /// Prepare `s` (not yet normalised).
    pub fn new(s: &str) -> RevTerm {
        let text = norm(s);
        RevTerm {
            anchors: text.chars().next().map_or(0, sig_bit)
                | text.chars().next_back().map_or(0, sig_bit),
            finder: memchr::memmem::FinderRev::new(text.as_bytes()).into_owned(),
            text,
        }
    }

    /// [`RevTerm::rfind`] in a prepared text, which is not read when its
    /// signature lacks the word's first or last character.
    pub fn rfind_in(&self, hay: &Hay) -> Option<usize> {
        if hay.sig & self.anchors != self.anchors {
            return None;
        }
        self.rfind(&hay.text)
    }

    /// The last occurrence in `hay` (`str::rfind`).
    pub fn rfind(&self, hay: &str) -> Option<usize> {
        if self.text.is_empty() {
            return Some(hay.len());
        }
        self.finder.rfind(hay.as_bytes())
    }
}

/// The characters that [`norm`] turns into `x` (`fold(c) == x`, not
/// white space): `x` itself, its Traditional forms, its full-width form
/// (an ASCII digit or letter), its ASCII form (a full-width mark).
pub fn preimages(x: char) -> Vec<char> {
    let mut out = Vec::new();
    if !is_space(x) && fold(x) == x {
        out.push(x);
    }
    // The Traditional characters by their Simplified form, made once
    // from the table's bit set (a few hundred set among 21,000): pairs
    // sorted by the Simplified form, looked up by binary search (cheaper
    // to make than a hash map, which cost a third of a one-report run).
    static TRADITIONAL: OnceLock<Vec<(u32, char)>> = OnceLock::new();
    let traditional = TRADITIONAL.get_or_init(|| {
        let t = table();
        let mut pairs = Vec::with_capacity(1024);
        for (w, &bits) in t.traditional.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                let i = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if let Some(c) = char::from_u32(CJK_FIRST + i as u32) {
                    pairs.push((t.simp[i], c));
                }
            }
        }
        // Stable: the Traditional forms of one character stay in code
        // point order, as they were pushed.
        pairs.sort_by_key(|&(simp, _)| simp);
        pairs
    });
    let first = traditional.partition_point(|&(simp, _)| simp < x as u32);
    out.extend(
        traditional[first..]
            .iter()
            .take_while(|&&(simp, _)| simp == x as u32)
            .map(|&(_, c)| c),
    );
    if x.is_ascii_alphanumeric() {
        out.extend(char::from_u32(x as u32 + 0xFF10 - 0x30).filter(|&c| fold(c) == x));
    }
    for b in [',', ';', ':', '(', ')', '!', '?'] {
        if fold(b) == x {
            out.push(b);
        }
    }
    out
}

/// A normalised term searched in a text that is not normalised: finds
/// what [`Term`] finds in `norm(text)`, without normalising the text.
///
/// Every character of `norm(text)` comes from one character of `text`
/// (white space is dropped, all else folded one to one), so an
/// occurrence of the term has at its anchor (the character of the term
/// with the fewest [`preimages`], most often itself alone) one of the
/// anchor's preimages in `text`. Those are found with `memmem`, and only
/// around them is the text read normalised: the characters before and
/// after, white space skipped, must fold to the rest of the term.
#[derive(Clone)]
pub struct RawTerm {
    pub text: String,
    chars: Vec<char>,
    /// The index of the anchor in `chars`.
    anchor: usize,
    /// A finder for each preimage of the anchor.
    finders: Vec<memchr::memmem::Finder<'static>>,
    /// Whether two occurrences of the term may overlap (a proper prefix
    /// of it is also a suffix): then they are counted as `str::matches`
    /// counts them, leftmost first, not overlapping.
    overlaps: bool,
}

impl std::fmt::Debug for RawTerm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("RawTerm").field(&self.text).finish()
    }
}

impl RawTerm {
    /// Prepare `s` (not yet normalised); None when it normalises to
    /// nothing.
    pub fn new(s: &str) -> Option<RawTerm> {
        let text = norm(s);
        let chars: Vec<char> = text.chars().collect();
        let pre: Vec<Vec<char>> = chars.iter().map(|&c| preimages(c)).collect();
        let anchor = (0..chars.len()).min_by_key(|&k| pre[k].len())?;
        let n = text.len();
        let b = text.as_bytes();
        let overlaps = (1..n).any(|k| b[..k] == b[n - k..]);
        Some(RawTerm {
            finders: pre[anchor]
                .iter()
                .map(|c| {
                    memchr::memmem::Finder::new(c.encode_utf8(&mut [0; 4]).as_bytes()).into_owned()
                })
                .collect(),
            chars,
            anchor,
            overlaps,
            text,
        })
    }

    /// Whether the term occurs at the anchor character at byte `p` of
    /// `text` (one of its preimages, `len` bytes long): the byte range in
    /// `text` from its first character to the end of its last.
    #[inline]
    fn at(&self, text: &str, p: usize, len: usize) -> Option<(usize, usize)> {
        // The characters next to the anchor, when they are three-byte
        // characters that are their own normalisation (most of a text),
        // are compared as they are.
        let t = table();
        let b = text.as_bytes();
        let kept = |i: usize| {
            b.get(i..i + 3)
                .filter(|c| (0xE0..0xF0).contains(&c[0]) && t.kept3(c[0], c[1], c[2]))
        };
        let same = |c: &[u8], want: char| c == want.encode_utf8(&mut [0; 4]).as_bytes();
        if self.anchor > 0
            && let Some(c) = p.checked_sub(3).and_then(kept)
            && !same(c, self.chars[self.anchor - 1])
        {
            return None;
        }
        if let Some(&want) = self.chars.get(self.anchor + 1)
            && let Some(c) = kept(p + len)
            && !same(c, want)
        {
            return None;
        }
        let mut start = p;
        let mut before = text[..p]
            .char_indices()
            .rev()
            .filter(|&(_, c)| !is_space(c));
        for &want in self.chars[..self.anchor].iter().rev() {
            let (i, c) = before.next()?;
            if fold(c) != want {
                return None;
            }
            start = i;
        }
        let mut end = p + len;
        let mut after = text[end..].char_indices().filter(|&(_, c)| !is_space(c));
        for &want in &self.chars[self.anchor + 1..] {
            let (i, c) = after.next()?;
            if fold(c) != want {
                return None;
            }
            end = p + len + i + c.len_utf8();
        }
        Some((start, end))
    }

    /// Call `f` with each occurrence (as [`RawTerm::at`] gives it) of
    /// the term in `norm(text)`, overlapping ones too, in order for each
    /// preimage of the anchor; stop when it returns false.
    fn each(&self, text: &str, mut f: impl FnMut(usize, usize) -> bool) {
        for fd in &self.finders {
            let len = fd.needle().len();
            for p in fd.find_iter(text.as_bytes()) {
                if let Some((a, b)) = self.at(text, p, len)
                    && !f(a, b)
                {
                    return;
                }
            }
        }
    }

    /// The occurrences of the term in `norm(text)` that `keep` keeps (as
    /// [`RawTerm::at`] gives them), left to right, not overlapping: each
    /// the leftmost one kept from the end of the last on.
    pub fn find_all(&self, text: &str, keep: impl Fn(usize, usize) -> bool) -> Vec<(usize, usize)> {
        let mut all = Vec::new();
        self.each(text, |a, b| {
            if keep(a, b) {
                all.push((a, b));
            }
            true
        });
        if self.finders.len() > 1 || self.overlaps {
            all.sort_unstable();
        }
        if self.overlaps {
            let mut last_end = 0;
            all.retain(|&(a, b)| {
                let kept = a >= last_end;
                if kept {
                    last_end = b;
                }
                kept
            });
        }
        all
    }

    /// Whether the term occurs in `norm(text)`.
    pub fn is_in(&self, text: &str) -> bool {
        let mut found = false;
        self.each(text, |_, _| {
            found = true;
            false
        });
        found
    }

    /// The number of non-overlapping occurrences in `norm(text)`, as
    /// [`Term::count_in`] counts them there.
    pub fn count_in(&self, text: &str) -> usize {
        let mut n = 0;
        if !self.overlaps {
            // Occurrences cannot overlap: each counts.
            self.each(text, |_, _| {
                n += 1;
                true
            });
            return n;
        }
        // Leftmost first, each from the end of the last one counted
        // (two overlap in `norm(text)` exactly when they do in `text`).
        let mut all = Vec::new();
        self.each(text, |a, b| {
            all.push((a, b));
            true
        });
        all.sort_unstable();
        let mut last_end = 0;
        for (a, b) in all {
            if a >= last_end {
                n += 1;
                last_end = b;
            }
        }
        n
    }
}

/// A normalised text prepared for [`find_fuzzy_term`]: a signature of
/// its characters, and its characters with their byte offsets, collected
/// (once for every term searched) only when a term may occur in it with
/// one slip.
#[derive(Debug, Clone)]
pub struct Hay {
    pub text: String,
    /// The [`sig_bit`] of each of its characters, or-ed: a term whose
    /// first or last character's bit is not here cannot be found.
    sig: u64,
    /// Its number of characters.
    len_chars: usize,
    chars: std::cell::OnceCell<Vec<(usize, char)>>,
}

impl Hay {
    /// Prepare `text` (already normalised).
    pub fn new(text: String) -> Hay {
        Hay::new_with(text, |_, _, _| {})
    }

    /// [`Hay::new`], calling `f(text, i, c)` with each character `c` of
    /// the text and its byte offset `i` on the way (one pass over the
    /// characters for both).
    #[inline]
    pub fn new_with(text: String, mut f: impl FnMut(&str, usize, char)) -> Hay {
        let (mut sig, mut len_chars) = (0, 0);
        for (i, c) in text.char_indices() {
            sig |= sig_bit(c);
            len_chars += 1;
            f(&text, i, c);
        }
        Hay {
            text,
            sig,
            len_chars,
            chars: std::cell::OnceCell::new(),
        }
    }

    /// Whether `term` may occur in the text: the signature holds its
    /// first and last characters (false: it does not occur).
    pub fn may_hold(&self, term: &Term) -> bool {
        self.sig & term.anchors == term.anchors
    }

    fn chars(&self) -> &[(usize, char)] {
        self.chars
            .get_or_init(|| self.text.char_indices().collect())
    }
}

/// A character's bit in a [`Hay::sig`] (one of 64, by a multiplicative
/// hash of the code point).
#[inline]
fn sig_bit(c: char) -> u64 {
    1 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 26)
}

/// [`find_fuzzy`] with the term and the haystack prepared ahead of time.
pub fn find_fuzzy_term(hay: &Hay, term: &Term) -> Option<(usize, usize, bool)> {
    if term.is_empty() {
        return None;
    }
    if let Some(i) = term.find(&hay.text) {
        return Some((i, i + term.text.len(), true));
    }
    find_one_slip(hay, term)
}

/// The inexact part of [`find_fuzzy_term`]: the first place `term` occurs
/// with exactly one wrong character (not the first or last), for a
/// term of five characters or more.
#[inline]
pub fn find_one_slip(hay: &Hay, term: &Term) -> Option<(usize, usize, bool)> {
    let n = term.chars.len();
    // The anchors must be in the text (see below).
    if n < 5 || hay.len_chars < n || hay.sig & term.anchors != term.anchors {
        return None;
    }
    slip_search(hay, term)
}

/// [`find_one_slip`] past its quick tests.
fn slip_search(hay: &Hay, term: &Term) -> Option<(usize, usize, bool)> {
    let n = term.chars.len();
    let (t, h) = (&term.chars, hay.chars());
    let (first, last) = (t[0], t[n - 1]);
    for w in 0..=h.len() - n {
        // The anchors must agree (see `find_fuzzy`), so only the middle
        // can hold the one wrong character.
        if h[w].1 != first || h[w + n - 1].1 != last {
            continue;
        }
        let mut wrong = 0;
        for k in 1..n - 1 {
            if h[w + k].1 != t[k] {
                wrong += 1;
                if wrong > 1 {
                    break;
                }
            }
        }
        if wrong == 1 {
            let end = h.get(w + n).map_or(hay.text.len(), |(i, _)| *i);
            return Some((h[w].0, end, false));
        }
    }
    None
}

/// A year written in a text (2024年, 二〇二四年), with its byte range in the
/// normalised text (the digits only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearAt {
    pub year: i32,
    pub start: usize,
    pub end: usize,
}

fn cn_digit(c: char) -> Option<i32> {
    match c {
        '〇' | '零' | '○' | 'О' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// Years followed by 年 in a normalised text. A year that ends or starts a
/// range (2021—2025年) is not the year of anything, and is skipped.
///
/// Looks only around each 年: the four characters before it must be
/// digits of one kind (ASCII or Chinese), the one before them no digit.
pub fn years(text: &str) -> Vec<YearAt> {
    let is_digit = |c: char| c.is_ascii_digit() || cn_digit(c).is_some();
    let connector = |c: Option<char>| matches!(c, Some('—' | '-' | '–' | '－' | '~' | '～' | '至'));
    let mut out = Vec::new();
    for (at, _) in text.match_indices('年') {
        // The four characters before 年, last first, and the one before.
        let mut back = text[..at].char_indices().rev();
        let mut window = [(0, '\0'); 4];
        let mut full = true;
        for w in window.iter_mut().rev() {
            match back.next() {
                Some(x) => *w = x,
                None => full = false,
            }
        }
        if !full {
            continue;
        }
        let before = back.next().map(|(_, c)| c);
        let ar = window.iter().all(|(_, c)| c.is_ascii_digit());
        let cn = window.iter().all(|(_, c)| cn_digit(*c).is_some());
        if !(ar || cn) || before.is_some_and(is_digit) {
            continue;
        }
        let after = text[at + '年'.len_utf8()..].chars().next();
        let year = window.iter().fold(0, |n, (_, c)| {
            n * 10
                + if ar {
                    c.to_digit(10).unwrap_or(0) as i32
                } else {
                    cn_digit(*c).unwrap_or(0)
                }
        });
        // A range start: 2021—2025年 has 2021 followed by —, not 年, so
        // only the end needs skipping.
        if !(connector(before) || connector(after)) && (1949..=2100).contains(&year) {
            out.push(YearAt {
                year,
                start: window[0].0,
                end: at,
            });
        }
    }
    out
}

/// [`years`] as it was written first, sliding a window of four
/// characters over the text: the plain definition a test compares with.
#[cfg(test)]
fn years_by_window(text: &str) -> Vec<YearAt> {
    // Every year found is followed by 年: most texts have none.
    if !text.contains('年') {
        return Vec::new();
    }
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k + 4 < cs.len() + 1 {
        let window = &cs[k..(k + 4).min(cs.len())];
        if window.len() < 4 {
            break;
        }
        let ar = window.iter().all(|(_, c)| c.is_ascii_digit());
        let cn = window.iter().all(|(_, c)| cn_digit(*c).is_some());
        let before_digit = k > 0 && {
            let p = cs[k - 1].1;
            p.is_ascii_digit() || cn_digit(p).is_some()
        };
        let followed = cs.get(k + 4).map(|(_, c)| *c);
        if (ar || cn) && !before_digit && followed == Some('年') {
            let before = if k > 0 { Some(cs[k - 1].1) } else { None };
            let after = cs.get(k + 5).map(|(_, c)| *c);
            let connector =
                |c: Option<char>| matches!(c, Some('—' | '-' | '–' | '－' | '~' | '～' | '至'));
            let is_range = connector(before) || connector(after);
            let year = window.iter().fold(0, |n, (_, c)| {
                n * 10
                    + if ar {
                        c.to_digit(10).unwrap_or(0) as i32
                    } else {
                        cn_digit(*c).unwrap_or(0)
                    }
            });
            // A range start: 2021—2025年 has 2021 followed by —, not 年,
            // so only the end needs skipping.
            if !is_range && (1949..=2100).contains(&year) {
                let end = cs.get(k + 4).map_or(text.len(), |(i, _)| *i);
                out.push(YearAt {
                    year,
                    start: window[0].0,
                    end,
                });
            }
            k += 4;
        } else {
            k += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of every file under tests/fixtures/corpus (the reports and
    /// their provenance notes).
    fn corpus_files() -> Vec<String> {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
        let mut texts = Vec::new();
        for dir in std::fs::read_dir(corpus).unwrap() {
            let dir = dir.unwrap().path();
            if dir.is_dir() {
                for f in std::fs::read_dir(dir).unwrap() {
                    if let Ok(t) = std::fs::read_to_string(f.unwrap().path()) {
                        texts.push(t);
                    }
                }
            }
        }
        texts
    }

    #[test]
    fn traditional_and_width_fold() {
        assert_eq!(
            norm("北京市2021年法治政府建設年度情況報告"),
            "北京市2021年法治政府建设年度情况报告"
        );
        assert_eq!(norm("主要舉措 和成效"), "主要举措和成效");
        assert_eq!(norm("２０２４ 年"), "2024年");
        for row in TRAD_SIMP {
            for pair in row.split_whitespace() {
                assert_eq!(pair.chars().count(), 2, "{pair}");
                let mut cs = pair.chars();
                let (a, b) = (cs.next().unwrap(), cs.next().unwrap());
                assert_eq!(simplified(a), Some(b), "{pair}: outside the lookup table");
            }
        }
    }

    #[test]
    fn spans_map_back() {
        let s = "一、2023 年  工作 情况";
        let n = Norm::new(s, 10);
        let (a, b) = n.find("工作情况").unwrap();
        let sp = n.span(a, b);
        assert_eq!(&s[sp.start - 10..sp.end - 10], "工作 情况");
    }

    #[test]
    fn fuzzy_one_slip() {
        assert!(find_fuzzy("推进法治政府建设的主要举错和成效", "举措和成效").is_some_and(|m| !m.2));
        assert!(find_fuzzy("党政主要负责人", "党政主要领导人").is_none());
        assert!(find_fuzzy("不足", "不是").is_none());
        assert!(find_fuzzy("科学编制工作规划", "工作计划").is_none());
    }

    #[test]
    fn norm_copies_runs_as_folding_each_character_would() {
        let slow = |s: &str| -> String { s.chars().filter(|&c| !is_space(c)).map(fold).collect() };
        let mut texts: Vec<String> = TRAD_SIMP.iter().map(|r| r.to_string()).collect();
        texts.extend(
            [
                "",
                " ",
                "a",
                "，",
                "２０２４ 年",
                "a,b;c:(d)!e?f",
                "\u{3000}x\u{a0}y\u{feff}z\u{200b}",
                "\t\r\n\x0b\x0c",
                "Ａｚ９",
                "主要舉措 和成效。",
                "中文\u{2003}文字\u{85}",
            ]
            .map(String::from),
        );
        texts.extend(corpus_files());
        // Every character of the Basic Multilingual Plane and beyond, alone
        // and between others.
        let every: String = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
        for c in every.chars() {
            let one = c.to_string();
            let mut plain = String::new();
            push_norm_chars(&mut plain, &format!("a{c}中"));
            assert_eq!(norm(&format!("a{c}中")), plain, "{:X}", c as u32);
            assert_eq!(norm(&one), slow(&one), "{:X}", c as u32);
        }
        texts.push(every);
        for t in &texts {
            assert_eq!(norm(t), slow(t));
            let n = Norm::new(t, 0);
            assert_eq!(n.text, slow(t));
            if t.len() < 200 {
                for (b, _) in n.text.char_indices().skip(1) {
                    for (a, _) in n.text[..b].char_indices() {
                        assert_eq!(Norm::prefix(t, 0, b).span(a, b), n.span(a, b));
                        assert_eq!(
                            Norm::prefix_span(t, 7, a, b),
                            Norm::prefix(t, 7, b).span(a, b)
                        );
                    }
                    assert_eq!(
                        Norm::prefix_span(t, 7, b, b),
                        Norm::prefix(t, 7, b).span(b, b)
                    );
                    assert_eq!(
                        Norm::prefix_span(t, 7, b, 0),
                        Norm::prefix(t, 7, 0).span(b, 0)
                    );
                }
            }
            // Every prefix and suffix of the short ones.
            if t.len() < 200 {
                for (i, _) in t.char_indices() {
                    assert_eq!(norm(&t[i..]), slow(&t[i..]));
                    assert_eq!(norm(&t[..i]), slow(&t[..i]));
                }
            }
        }
    }

    #[test]
    fn kept_runs_as_one_character_at_a_time() {
        // Each three-byte character (and some others) at each place of a
        // run of kept Chinese characters: `push_norm` (one look-up in
        // `Table::kept3` per character, lead byte included) appends what
        // folding each character would and says whether that is `t`.
        let mut odd = 0;
        let others = ['a', ' ', '\u{a0}', 'é', '𠀀', '😀', '\u{10FFFF}'];
        let threes = (0x800..=0xFFFFu32).filter_map(char::from_u32);
        for c in threes.chain(others) {
            for at in 0..6 {
                let mut t: String = "中文字符测试".chars().take(at).collect();
                t.push(c);
                t.push_str("一二三四五六七");
                let mut plain = String::new();
                push_norm_chars(&mut plain, &t);
                let mut fast = String::new();
                let upto = push_norm(&mut fast, &t);
                let same = upto == t.len();
                assert_eq!(fast, plain, "{:X} at {at}", c as u32);
                assert_eq!(same, plain == t, "{:X} at {at}", c as u32);
                // The first character folded or dropped is the one added.
                if !same {
                    assert_eq!(upto, t.find(c).unwrap(), "{:X} at {at}", c as u32);
                }
                odd += usize::from(!same);
            }
        }
        // Traditional, full-width and space characters were among them.
        assert!(odd > 6 * 600, "{odd}");
        for t in [
            "國家發展",
            "２０２４年度工作",
            "中文\u{3000}文字",
            "中文字符\u{feff}",
        ] {
            let mut out = String::from("前");
            let upto = push_norm(&mut out, t);
            assert!(upto < t.len(), "{t}");
            assert_eq!(out[3..3 + upto], t[..upto], "{t}");
        }
        assert_eq!(push_norm(&mut String::new(), "中文字符测试一二三四"), 30);
        assert_eq!(push_norm(&mut String::new(), ""), 0);
    }

    /// The byte-wise [`Norm::prefix_span`] gives what the per-character
    /// one gives, at every character boundary of every corpus line, of
    /// lines with every kind of character folded or dropped, and of every
    /// character of the BMP and beyond in one text.
    #[test]
    fn prefix_span_by_bytes_as_by_characters() {
        let mut lines: Vec<String> = corpus_files()
            .iter()
            .flat_map(|t| t.lines())
            .map(String::from)
            .collect();
        lines.extend(
            TRAD_SIMP
                .iter()
                .map(|r| format!("一 {r}，a,b;（２０２４）\u{3000}年\t ")),
        );
        let every: String = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
        let mut checked = 0;
        for l in lines.iter().step_by(3) {
            let n = norm(l);
            let ends: Vec<usize> = n.char_indices().map(|(i, _)| i).chain([n.len()]).collect();
            for (k, &b) in ends.iter().enumerate() {
                for &a in ends[..=k].iter().rev().take(4) {
                    assert_eq!(
                        Norm::prefix_span(l, 5, a, b),
                        Norm::prefix_span_chars(l, 5, a, b),
                        "{l} {a}..{b}"
                    );
                    checked += 1;
                }
            }
        }
        let every: Vec<char> = every.chars().collect();
        for chunk in every.chunks(500) {
            let t: String = chunk.iter().collect();
            let n = norm(&t);
            for (a, _) in n.char_indices().step_by(37) {
                for b in [a, a + 1, a + 40, n.len()] {
                    let b = (b.min(n.len())..=n.len())
                        .find(|&b| n.is_char_boundary(b))
                        .unwrap();
                    assert_eq!(
                        Norm::prefix_span(&t, 0, a, b),
                        Norm::prefix_span_chars(&t, 0, a, b)
                    );
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn prepared_terms_search_as_str_does() {
        let hays = [
            "推进法治政府建设的主要举错和成效",
            "主要举措和成效举措和成效",
            "举举措和成效效",
            "党政主要负责人",
            "aaaa",
            "存在的不足和原因存在的不是和原因",
            "",
            "一",
        ];
        let terms = [
            "举措和成效",
            "党政主要领导人",
            "不足",
            "aa",
            "存在的不足和原因",
            "",
            "一",
            "主要举措",
            "举措和成效效",
        ];
        for h in hays {
            let hay = Hay::new(h.to_string());
            for t in terms {
                let term = Term::new(t);
                assert_eq!(find_fuzzy_term(&hay, &term), find_fuzzy(h, t), "{h} / {t}");
                if !t.is_empty() {
                    assert_eq!(term.find(h), h.find(t), "{h} / {t}");
                    for k in 0..=h.len() + 1 {
                        let want =
                            (k..h.len()).find(|&i| h.is_char_boundary(i) && h[i..].starts_with(t));
                        assert_eq!(term.find_from(h, k), want, "{h} / {t} from {k}");
                    }
                    assert_eq!(term.count_in(h), h.matches(t).count(), "{h} / {t}");
                    let all: Vec<usize> = h.match_indices(t).map(|(i, _)| i).collect();
                    assert_eq!(term.find_iter(h).collect::<Vec<_>>(), all, "{h} / {t}");
                }
                assert_eq!(RevTerm::new(t).rfind(h), h.rfind(t), "{h} / {t}");
            }
        }
        // Every one-character change of a five-character term, anywhere.
        let term = "举措和成效";
        let t = Term::new(term);
        for k in 0..5 {
            for c in ['举', '措', '错', 'x'] {
                let mut cs: Vec<char> = term.chars().collect();
                cs[k] = c;
                let w: String = cs.into_iter().collect();
                for h in [
                    w.clone(),
                    format!("主要{w}"),
                    format!("{w}{w}"),
                    format!("举{w}效"),
                ] {
                    assert_eq!(
                        find_fuzzy_term(&Hay::new(h.clone()), &t),
                        find_fuzzy(&h, term),
                        "{h}"
                    );
                }
            }
        }
    }

    #[test]
    fn three_byte_characters_outside_special3_stay_as_they_are() {
        for c in (0x800..=0xFFFFu32).filter_map(char::from_u32) {
            if !special3(c as u32) && !(CJK_FIRST..=CJK_LAST).contains(&(c as u32)) {
                assert!(!is_space(c) && fold(c) == c, "{:X}", c as u32);
            }
        }
    }

    #[test]
    fn chinese_digits_as_the_digit_string_says() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let plain = match c {
                '〇' | '零' | '○' | 'О' => Some(0),
                _ => "一二三四五六七八九"
                    .chars()
                    .position(|x| x == c)
                    .map(|i| i as i32 + 1),
            };
            assert_eq!(cn_digit(c), plain, "{c}");
        }
    }

    /// [`years`] finds what the sliding window finds, in every corpus
    /// line and in texts of digits, 年 and connectors put together at
    /// random.
    #[test]
    fn years_around_each_nian_as_by_window() {
        let mut texts: Vec<String> = corpus_files()
            .iter()
            .flat_map(|t| t.lines())
            .map(norm)
            .collect();
        let parts = [
            "2024",
            "2025",
            "1948",
            "2101",
            "二〇二四",
            "二О二三",
            "○",
            "2",
            "年",
            "年度",
            "—",
            "-",
            "至",
            "~",
            "工作",
            "一",
            "9",
            "，",
            "年年",
            "二〇二",
            "20245",
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut t = String::new();
            for _ in 0..8 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                t.push_str(parts[(x >> 20) as usize % parts.len()]);
            }
            texts.push(t);
        }
        let mut found = 0;
        for t in &texts {
            let want = years_by_window(t);
            assert_eq!(years(t), want, "{t}");
            found += want.len();
        }
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn year_tokens() {
        let ys: Vec<i32> = years(&norm("2024年工作总结和2025年计划（2021—2025年）"))
            .iter()
            .map(|y| y.year)
            .collect();
        assert_eq!(ys, vec![2024, 2025]);
        assert_eq!(years("二〇二四年度")[0].year, 2024);
    }

    /// [`preimages`] are exactly the characters that fold to a character
    /// (every character tried).
    #[test]
    fn preimages_are_all_that_fold_to_a_character() {
        let mut targets: Vec<char> =
            "问题不足计划滞后第一责任人举措成效2024年aZ，；：（）！？，。、《》"
                .chars()
                .collect();
        for row in TRAD_SIMP {
            for pair in row.split_whitespace() {
                targets.extend(pair.chars());
            }
        }
        let mut want: std::collections::HashMap<char, Vec<char>> =
            targets.iter().map(|&c| (c, Vec::new())).collect();
        for u in 0..=0x10FFFFu32 {
            if let Some(c) = char::from_u32(u)
                && !is_space(c)
                && let Some(v) = want.get_mut(&fold(c))
            {
                v.push(c);
            }
        }
        let mut several = 0;
        for (x, mut w) in want {
            let mut got = preimages(x);
            got.sort_unstable();
            w.sort_unstable();
            assert_eq!(got, w, "{x}");
            several += usize::from(got.len() > 1);
        }
        assert!(several > 100, "{several}");
    }

    /// The words searched with [`RawTerm`] in the tests: a built-in
    /// schema's words and some that overlap themselves, hold digits,
    /// letters or marks that fold.
    fn raw_words() -> Vec<String> {
        let mut w: Vec<String> = Vec::new();
        for schema in crate::schema::builtins() {
            for s in &schema.sections {
                w.extend(s.synonyms.iter().cloned());
                w.extend(s.heading_words.iter().cloned());
                w.extend(s.keywords.iter().cloned());
                w.extend(s.mention_words.iter().cloned());
                for t in &s.topics {
                    w.extend(t.evidence.iter().cloned());
                }
            }
        }
        w.extend(
            [
                "哈哈",
                "工作工作",
                "作工作",
                "法治法治法",
                "2024年",
                "二〇二四年",
                "，的",
                "(一)",
                "a",
                "Ab",
                "１２",
                "問題",
                "計劃",
                "建設",
                "问",
                "，",
                "的的",
                " 第一 ",
            ]
            .map(String::from),
        );
        w
    }

    /// Texts with what normalising changes: white space inside words,
    /// Traditional forms, full-width digits and letters, ASCII marks.
    fn raw_texts() -> Vec<String> {
        let mut to_trad: std::collections::HashMap<char, char> = Default::default();
        for row in TRAD_SIMP {
            for pair in row.split_whitespace() {
                let mut cs = pair.chars();
                if let (Some(a), Some(b)) = (cs.next(), cs.next()) {
                    to_trad.entry(b).or_insert(a);
                }
            }
        }
        let mut texts: Vec<String> = Vec::new();
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
        for dir in std::fs::read_dir(corpus).unwrap() {
            let dir = dir.unwrap().path();
            if dir.is_dir() {
                for f in std::fs::read_dir(dir).unwrap() {
                    let f = f.unwrap().path();
                    if f.to_string_lossy().ends_with(".source.txt") {
                        continue;
                    }
                    if let Ok(t) = std::fs::read_to_string(&f) {
                        texts.extend(t.lines().map(String::from));
                    }
                }
            }
        }
        assert!(texts.len() > 200);
        let mut words = raw_words();
        words.extend(
            [
                "哈", "工", "作", " ", "\u{3000}", "，", ",", "年", "2", "２", "A", "ａ",
            ]
            .map(String::from),
        );
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 16) as usize
        };
        let mut changed = Vec::new();
        for t in texts.iter().step_by(3) {
            // White space, Traditional forms, full width here and there.
            let mut u = String::new();
            for c in t.chars() {
                match next() % 8 {
                    0 => u.push(' '),
                    1 => u.push('\u{3000}'),
                    _ => {}
                }
                let c = match next() % 3 {
                    0 => to_trad.get(&c).copied().unwrap_or(c),
                    _ => c,
                };
                let c = match c {
                    '0'..='9' | 'A'..='Z' | 'a'..='z' if next() % 2 == 0 => {
                        char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
                    }
                    '，' if next() % 2 == 0 => ',',
                    _ => c,
                };
                u.push(c);
            }
            changed.push(u);
        }
        for _ in 0..3000 {
            let mut u = String::new();
            for _ in 0..next() % 30 {
                let w = &words[next() % words.len()];
                let w: String = w
                    .chars()
                    .map(|c| match next() % 3 {
                        0 => to_trad.get(&c).copied().unwrap_or(c),
                        _ => c,
                    })
                    .collect();
                u.push_str(&w);
                if next() % 4 == 0 {
                    u.push(' ');
                }
            }
            changed.push(u);
        }
        texts.extend(changed);
        texts
    }

    /// [`RawTerm`] counts and finds in a text as written what [`Term`]
    /// counts and finds in its normalisation.
    #[test]
    fn raw_terms_find_what_terms_find_in_the_normalised_text() {
        let words = raw_words();
        let terms: Vec<(Term, RawTerm)> = words
            .iter()
            .filter_map(|w| Some((Term::new(w), RawTerm::new(w)?)))
            .collect();
        assert!(terms.iter().any(|(_, r)| r.overlaps));
        assert!(terms.iter().any(|(_, r)| r.finders.len() > 1));
        assert!(terms.iter().any(|(_, r)| r.anchor > 0));
        let (mut hits, mut changed) = (0, 0);
        for t in raw_texts() {
            let n = norm(&t);
            for (term, raw) in &terms {
                let want = term.count_in(&n);
                assert_eq!(raw.count_in(&t), want, "{} in {t}", term.text);
                assert_eq!(raw.is_in(&t), want > 0, "{} in {t}", term.text);
                if want > 0 {
                    hits += want;
                    changed += usize::from(term.count_in(&t) != want);
                }
            }
        }
        // Found often, and often where the text as written differs.
        assert!(hits > 10_000, "{hits}");
        assert!(changed > 1000, "{changed}");
        assert!(RawTerm::new(" \u{3000}").is_none());
    }
}
