/*
 * demo: the demo data set and the synthetic generator. The demo set is
 * two tables written by hand (the organisations, the real people of the
 * article with what the article says about them and nothing more) and
 * forty invented people made from the generator's tables with their
 * classification cycled so that every tier, status, segment and honour
 * appears. The generator draws surnames by their frequency in China,
 * given names from a list of common characters, a city of origin whose
 * area code starts the resident id, a birth date and a sequence number
 * from a bijection of the record's index (so ids never repeat within a
 * seed), and fields and keywords from the industry segment of the
 * organisation it works for. Identifiers of invented people are valid
 * (GB 11643 and GB 32100 check characters) but drawn from ranges the
 * real world keeps apart: sequence numbers 900-999 and phones 166... for
 * the demo people, e-mail at example.com and example.cn only.
 */
#include "demo.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/csv.h"
#include "benefit.h"
#include "card.h"
#include "cardtoken.h"
#include "export.h"
#include "ident.h"
#include "ledger.h"
#include "loan.h"
#include "order.h"
#include "org.h"
#include "payee.h"
#include "payrun.h"
#include "recommendation.h"
#include "station.h"
#include "strategic.h"
#include "user.h"
#include "verification.h"

static const struct gg_actor demo_actor = {0, "demo", NULL};

/* ---- deterministic randomness ---- */

/* SplitMix64's finaliser: a good 64-bit mix, cheap and stable across platforms. */
static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

struct rng {
	uint64_t s;
};

static void rng_seed(struct rng *r, uint64_t seed, uint64_t salt, uint64_t i)
{
	r->s = mix(mix(seed ^ salt) + i);
}

static uint64_t rng_next(struct rng *r)
{
	r->s += 0x9E3779B97F4A7C15ull;
	return mix(r->s);
}

/* Uniform in [0, n) (n > 0), by the multiply-shift method. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* A multiplier coprime with every modulus used below (a prime above them all). */
#define BIJECT_MUL 2654435761ull

/* ---- tables ---- */

struct surname {
	const char *hanzi;
	const char *pinyin;
	unsigned weight; /* per 10,000 people, after the 2020 census figures */
};

static const struct surname surnames[] = {
    {"王", "wang", 712}, {"李", "li", 700},     {"张", "zhang", 674},     {"刘", "liu", 510},  {"陈", "chen", 461},
    {"杨", "yang", 322}, {"黄", "huang", 245},  {"赵", "zhao", 229},      {"吴", "wu", 205},   {"周", "zhou", 198},
    {"徐", "xu", 156},   {"孙", "sun", 151},    {"马", "ma", 144},        {"朱", "zhu", 126},  {"胡", "hu", 120},
    {"郭", "guo", 118},  {"何", "he", 117},     {"高", "gao", 108},       {"林", "lin", 107},  {"罗", "luo", 95},
    {"郑", "zheng", 86}, {"梁", "liang", 84},   {"谢", "xie", 76},        {"宋", "song", 75},  {"唐", "tang", 73},
    {"许", "xu", 66},    {"韩", "han", 64},     {"冯", "feng", 64},       {"邓", "deng", 62},  {"曹", "cao", 60},
    {"彭", "peng", 59},  {"曾", "zeng", 58},    {"肖", "xiao", 56},       {"田", "tian", 54},  {"董", "dong", 53},
    {"袁", "yuan", 52},  {"潘", "pan", 49},     {"于", "yu", 49},         {"蒋", "jiang", 48}, {"蔡", "cai", 47},
    {"余", "yu", 46},    {"杜", "du", 45},      {"叶", "ye", 44},         {"程", "cheng", 43}, {"苏", "su", 42},
    {"魏", "wei", 41},   {"吕", "lv", 40},      {"丁", "ding", 40},       {"任", "ren", 39},   {"沈", "shen", 38},
    {"姚", "yao", 37},   {"卢", "lu", 37},      {"姜", "jiang", 36},      {"崔", "cui", 35},   {"钟", "zhong", 34},
    {"谭", "tan", 33},   {"陆", "lu", 32},      {"汪", "wang", 31},       {"范", "fan", 31},   {"金", "jin", 30},
    {"石", "shi", 29},   {"廖", "liao", 28},    {"贾", "jia", 28},        {"夏", "xia", 27},   {"韦", "wei", 26},
    {"付", "fu", 26},    {"方", "fang", 25},    {"白", "bai", 25},        {"邹", "zou", 24},   {"孟", "meng", 24},
    {"熊", "xiong", 24}, {"秦", "qin", 23},     {"邱", "qiu", 23},        {"江", "jiang", 22}, {"尹", "yin", 22},
    {"薛", "xue", 21},   {"闫", "yan", 21},     {"段", "duan", 20},       {"雷", "lei", 20},   {"侯", "hou", 20},
    {"龙", "long", 19},  {"史", "shi", 19},     {"陶", "tao", 18},        {"黎", "li", 18},    {"贺", "he", 18},
    {"顾", "gu", 17},    {"毛", "mao", 17},     {"郝", "hao", 16},        {"龚", "gong", 16},  {"邵", "shao", 16},
    {"万", "wan", 15},   {"钱", "qian", 15},    {"严", "yan", 15},        {"覃", "qin", 14},   {"武", "wu", 14},
    {"戴", "dai", 14},   {"莫", "mo", 13},      {"孔", "kong", 13},       {"向", "xiang", 12}, {"汤", "tang", 12},
    {"单", "shan", 5},   {"欧阳", "ouyang", 5}, {"上官", "shangguan", 1}, {"司马", "sima", 1}, {"诸葛", "zhuge", 1},
};
#define NSURNAMES (sizeof(surnames) / sizeof(surnames[0]))

struct given {
	const char *hanzi;
	const char *pinyin;
};

/* Common given-name characters with one reading each (no 乐, 长, 重: their pinyin depends on the word). */
static const struct given givens[] = {
    {"伟", "wei"},   {"芳", "fang"},  {"娜", "na"},    {"敏", "min"},   {"静", "jing"}, {"丽", "li"},   {"强", "qiang"},
    {"磊", "lei"},   {"军", "jun"},   {"洋", "yang"},  {"勇", "yong"},  {"艳", "yan"},  {"杰", "jie"},  {"涛", "tao"},
    {"明", "ming"},  {"超", "chao"},  {"秀", "xiu"},   {"霞", "xia"},   {"平", "ping"}, {"刚", "gang"}, {"桂", "gui"},
    {"英", "ying"},  {"华", "hua"},   {"玉", "yu"},    {"萍", "ping"},  {"红", "hong"}, {"娟", "juan"}, {"建", "jian"},
    {"文", "wen"},   {"辉", "hui"},   {"力", "li"},    {"鹏", "peng"},  {"宇", "yu"},   {"浩", "hao"},  {"凯", "kai"},
    {"俊", "jun"},   {"帅", "shuai"}, {"鑫", "xin"},   {"博", "bo"},    {"晨", "chen"}, {"婷", "ting"}, {"雪", "xue"},
    {"琳", "lin"},   {"欣", "xin"},   {"颖", "ying"},  {"倩", "qian"},  {"佳", "jia"},  {"慧", "hui"},  {"思", "si"},
    {"雨", "yu"},    {"子", "zi"},    {"梓", "zi"},    {"轩", "xuan"},  {"涵", "han"},  {"睿", "rui"},  {"泽", "ze"},
    {"航", "hang"},  {"晓", "xiao"},  {"志", "zhi"},   {"国", "guo"},   {"海", "hai"},  {"东", "dong"}, {"春", "chun"},
    {"林", "lin"},   {"斌", "bin"},   {"峰", "feng"},  {"波", "bo"},    {"毅", "yi"},   {"健", "jian"}, {"晶", "jing"},
    {"亮", "liang"}, {"成", "cheng"}, {"龙", "long"},  {"彬", "bin"},   {"飞", "fei"},  {"云", "yun"},  {"新", "xin"},
    {"立", "li"},    {"阳", "yang"},  {"金", "jin"},   {"桥", "qiao"},  {"清", "qing"}, {"嘉", "jia"},  {"琪", "qi"},
    {"瑶", "yao"},   {"怡", "yi"},    {"然", "ran"},   {"诚", "cheng"}, {"岩", "yan"},  {"松", "song"}, {"坤", "kun"},
    {"晖", "hui"},   {"铭", "ming"},  {"昊", "hao"},   {"天", "tian"},  {"远", "yuan"}, {"哲", "zhe"},  {"卓", "zhuo"},
    {"锋", "feng"},  {"瑞", "rui"},   {"丹", "dan"},   {"蕾", "lei"},   {"薇", "wei"},  {"蓉", "rong"}, {"璐", "lu"},
    {"露", "lu"},    {"宁", "ning"},  {"馨", "xin"},   {"悦", "yue"},   {"诗", "shi"},  {"书", "shu"},  {"德", "de"},
    {"永", "yong"},  {"庆", "qing"},  {"良", "liang"}, {"振", "zhen"},  {"维", "wei"},  {"舟", "zhou"}, {"启", "qi"},
    {"晗", "han"},   {"希", "xi"},    {"煜", "yu"},    {"楠", "nan"},   {"彤", "tong"}, {"妍", "yan"},  {"凡", "fan"},
    {"骁", "xiao"},  {"逸", "yi"},    {"安", "an"},    {"奕", "yi"},    {"瀚", "han"},  {"钰", "yu"},   {"蔚", "wei"},
};
#define NGIVENS (sizeof(givens) / sizeof(givens[0]))

/* Cities of origin, each with the area code of one of its districts (GB/T 2260). */
struct city {
	const char *name;
	const char *area;
};

static const struct city cities[] = {
    {"武汉", "420102"}, {"黄冈", "421102"},   {"孝感", "420902"}, {"荆州", "421002"},     {"宜昌", "420502"},
    {"襄阳", "420602"}, {"十堰", "420302"},   {"咸宁", "421202"}, {"北京", "110101"},     {"上海", "310101"},
    {"天津", "120101"}, {"重庆", "500103"},   {"深圳", "440303"}, {"广州", "440103"},     {"长沙", "430102"},
    {"南昌", "360102"}, {"合肥", "340102"},   {"郑州", "410102"}, {"成都", "510104"},     {"西安", "610102"},
    {"南京", "320102"}, {"杭州", "330102"},   {"济南", "370102"}, {"青岛", "370202"},     {"苏州", "320505"},
    {"宁波", "330203"}, {"福州", "350102"},   {"厦门", "350203"}, {"沈阳", "210102"},     {"大连", "210202"},
    {"长春", "220102"}, {"哈尔滨", "230102"}, {"太原", "140105"}, {"石家庄", "130102"},   {"南宁", "450102"},
    {"昆明", "530102"}, {"贵阳", "520102"},   {"兰州", "620102"}, {"呼和浩特", "150102"}, {"乌鲁木齐", "650102"},
};
#define NCITIES (sizeof(cities) / sizeof(cities[0]))

/* The industry segments of 0003_orgs.sql with words for names, fields and keywords. */
struct segment {
	const char *token;
	const char *trade; /* in an organisation's name */
	const char *fields[3];
	const char *keywords[5];
};

static const struct segment segments[] = {
    {"optical_communication",
     "光通信",
     {"光通信", "光纤传输", "光电子器件"},
     {"相干光模块", "硅光集成", "光纤放大器", "高速光收发", "波分复用"}},
    {"lasers",
     "激光",
     {"激光技术", "光学工程", "精密加工"},
     {"超快激光", "光纤激光器", "激光雷达", "激光微加工", "半导体激光"}},
    {"infrared",
     "红外",
     {"红外探测", "光学成像", "传感器"},
     {"红外焦平面", "非制冷探测器", "热成像", "图像处理", "红外芯片"}},
    {"optoelectronic_chips",
     "光电芯片",
     {"光电芯片", "微电子学", "半导体器件"},
     {"光电集成", "探测器芯片", "化合物半导体", "芯片封装", "外延生长"}},
    {"synthetic_biology",
     "合成生物",
     {"合成生物学", "生物工程", "酶工程"},
     {"功能蛋白", "基因编辑", "代谢工程", "高效表达", "生物制造"}},
    {"biomedicine",
     "生物医药",
     {"生物医药", "药物化学", "免疫学"},
     {"抗体药物", "细胞治疗", "疫苗研发", "靶向药物", "临床转化"}},
    {"medical_devices",
     "医疗器械",
     {"医疗器械", "生物医学工程", "医学影像"},
     {"医学成像", "体外诊断", "手术机器人", "可穿戴设备", "植介入器械"}},
    {"multimodal_models",
     "智能",
     {"人工智能", "模式识别", "自然语言处理"},
     {"多模态大模型", "计算机视觉", "语音识别", "知识图谱", "具身智能"}},
    {"ai_computing",
     "智算",
     {"高性能计算", "计算机体系结构", "分布式系统"},
     {"智能算力", "异构计算", "算力调度", "模型训练", "边缘计算"}},
    {"cad_cae",
     "工业软件",
     {"工业软件", "计算力学", "数值模拟"},
     {"仿真软件", "计算机辅助设计", "有限元分析", "流体仿真", "数字孪生"}},
    {"industrial_control",
     "自动化",
     {"控制科学", "工业自动化", "嵌入式系统"},
     {"工业控制系统", "可编程控制器", "工业互联网", "运动控制", "智能制造"}},
    {"thermoelectric_materials",
     "新材料",
     {"材料科学", "热电材料", "复合材料"},
     {"碲化铋", "热电转换", "纳米复合", "晶体生长", "薄膜材料"}},
    {"thermoelectric_devices",
     "热电",
     {"热电器件", "半导体制冷", "热管理"},
     {"热电芯片", "温控模块", "半导体制冷片", "微型制冷", "余热发电"}},
    {"ic_design",
     "微电子",
     {"集成电路设计", "微电子学", "电子工程"},
     {"模拟芯片", "射频芯片", "处理器架构", "存储芯片", "电源管理"}},
    {"ic_manufacturing",
     "半导体",
     {"集成电路制造", "半导体工艺", "材料物理"},
     {"先进封装", "光刻工艺", "刻蚀", "薄膜沉积", "良率提升"}},
};
#define NSEGMENTS (sizeof(segments) / sizeof(segments[0]))

static const char *const parks[] = {"光谷生物城",         "光谷软件园",     "光谷光电子信息产业园",
                                    "光谷智能制造产业园", "光谷未来科技城", "光谷中心城"};
#define NPARKS (sizeof(parks) / sizeof(parks[0]))

/* Brand characters of invented organisations: no character twice in a list. */
static const char *const brand_a[] = {"华", "中", "光", "星", "晶", "睿", "博", "锐", "天", "鸿",
                                      "创", "智", "云", "微", "联", "泰", "恒", "凯", "德", "信",
                                      "宇", "达", "新", "合", "楚", "汉", "江", "磐", "澜", "启",
                                      "领", "航", "卓", "拓", "弘", "擎", "钧", "朗", "昱", "峻"};
static const char *const brand_b[] = {"芯", "通", "科", "盛", "越", "源", "瑞", "辰", "宸", "远",
                                      "昇", "峰", "驰", "安", "耀", "邦", "晟", "海", "川", "图",
                                      "景", "锦", "衡", "维", "迈", "际", "屹", "帆", "舟", "曜"};
#define NBRAND_A (sizeof(brand_a) / sizeof(brand_a[0]))
#define NBRAND_B (sizeof(brand_b) / sizeof(brand_b[0]))

struct weighted {
	const char *token; /* NULL: no value */
	unsigned weight;
};

static const struct weighted tier_weights[] = {
    {NULL, 520},           {"other", 100},
    {"high_level", 260},   {"leading_talent", 100},
    {"top_scientist", 15}, {"strategic_scientist", 5},
};
static const struct weighted status_weights[] = {
    {"prospect", 25}, {"in_contact", 20}, {"landed", 20}, {"serving", 30}, {"left", 5},
};
static const struct weighted kind_weights[] = {
    {"leading_enterprise", 55}, {"rd_unit", 20}, {"incubator", 5}, {"platform", 5},
    {"service_provider", 7},    {"bank", 2},     {"other", 6},
};

/* Titles by tier, at a university or research unit and at a company. */
static const char *const academic_titles[3][5] = {
    {"首席科学家", "教授", "研究员", "实验室主任", "首席专家"},
    {"教授", "研究员", "学术带头人", "教授", "研究员"},
    {"副教授", "副研究员", "博士后", "助理研究员", "高级工程师"},
};
static const char *const company_titles[3][5] = {
    {"首席科学家", "首席技术官", "技术副总裁", "首席科学家", "首席专家"},
    {"技术总监", "研发总监", "首席技术官", "总工程师", "研发总监"},
    {"高级工程师", "工程师", "项目经理", "产品经理", "算法工程师"},
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *pick_weighted(struct rng *r, const struct weighted *w, size_t n)
{
	unsigned total = 0, x;
	size_t i;

	for (i = 0; i < n; i++)
		total += w[i].weight;
	x = rng_below(r, total);
	for (i = 0; i + 1 < n; i++) {
		if (x < w[i].weight)
			break;
		x -= w[i].weight;
	}
	return w[i].token;
}

static const struct surname *pick_surname(struct rng *r)
{
	unsigned total = 0, x;
	size_t i;

	for (i = 0; i < NSURNAMES; i++)
		total += surnames[i].weight;
	x = rng_below(r, total);
	for (i = 0; i + 1 < NSURNAMES; i++) {
		if (x < surnames[i].weight)
			break;
		x -= surnames[i].weight;
	}
	return &surnames[i];
}

/* ---- national identifiers ---- */

/* GB 11714 check character of an 8-character organisation code body (digits here). */
static char orgcode_check(const char *body8)
{
	static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0, c;

	for (int k = 0; k < 8; k++)
		sum += (body8[k] - '0') * w[k];
	c = 11 - sum % 11;
	return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

/* A GB 32100 code from its 8-character head (department, type, region) and an 8-digit body. */
static void make_uscc(const char *head8, uint32_t body, char out[19])
{
	char c17[18];

	snprintf(c17, sizeof(c17), "%.8s%08" PRIu32, head8, body % 100000000u);
	c17[16] = orgcode_check(c17 + 8);
	c17[17] = '\0';
	memcpy(out, c17, 17);
	out[17] = gg_ident_uscc_check_char(c17);
	out[18] = '\0';
}

/* A GB 11643 number: area (6 digits), birth date YYYY-MM-DD, sequence 0..999. */
static void make_resident_id(const char *area, const char *birth_date, unsigned seq, char out[19])
{
	char d17[18];

	snprintf(d17, sizeof(d17), "%.6s%.4s%.2s%.2s%03u", area, birth_date, birth_date + 5, birth_date + 8,
	         seq % 1000u);
	memcpy(out, d17, 17);
	out[17] = gg_ident_resident_check_char(d17);
	out[18] = '\0';
}

/* Synthetic birth dates: 1955-01-01 .. 1999-12-31; sequences 000..899 (900..999 are the demo people's). */
#define BIRTH_FIRST_YEAR 1955
#define BIRTH_DAYS       16436 /* days from 1955-01-01 to 2000-01-01 */
#define SYNTH_SEQS       900
#define ID_SPACE         ((uint64_t)NCITIES * BIRTH_DAYS * SYNTH_SEQS)

/* ---- synthetic organisations ---- */

void gg_demo_synth_org(uint64_t seed, size_t i, struct gg_demo_org *o)
{
	/* (a, b) brand pair: a bijection of i on [0, NBRAND_A * NBRAND_B), so names never repeat. */
	uint64_t space = NBRAND_A * NBRAND_B;
	uint64_t j = ((uint64_t)i * 7919u + mix(seed ^ 0x0A) % space) % space;
	const char *a = brand_a[j % NBRAND_A], *b = brand_b[j / NBRAND_A];
	const struct segment *seg;
	struct rng r;
	size_t s;

	memset(o, 0, sizeof(*o));
	rng_seed(&r, seed, 0x0B, i);
	o->kind = pick_weighted(&r, kind_weights, NELEM(kind_weights));
	s = rng_below(&r, NSEGMENTS);
	seg = &segments[s];
	o->segments[o->nsegments++] = seg->token;
	if (rng_below(&r, 10) < 3 && s + 1 < NSEGMENTS)
		o->segments[o->nsegments++] = segments[s + 1].token;
	o->park = parks[rng_below(&r, NPARKS)];
	o->verified = rng_below(&r, 10) < 7;

	if (strcmp(o->kind, "rd_unit") == 0)
		snprintf(o->name, sizeof(o->name), "武汉%s%s%s研究院", a, b, seg->trade);
	else if (strcmp(o->kind, "incubator") == 0)
		snprintf(o->name, sizeof(o->name), "光谷%s%s%s孵化器", a, b, seg->trade);
	else if (strcmp(o->kind, "platform") == 0)
		snprintf(o->name, sizeof(o->name), "光谷%s%s%s公共服务平台", a, b, seg->trade);
	else if (strcmp(o->kind, "service_provider") == 0)
		snprintf(o->name, sizeof(o->name), "武汉%s%s人才服务有限公司", a, b);
	else if (strcmp(o->kind, "bank") == 0)
		snprintf(o->name, sizeof(o->name), "%s%s科技银行", a, b);
	else if (strcmp(o->kind, "other") == 0)
		snprintf(o->name, sizeof(o->name), "武汉%s%s%s咨询有限公司", a, b, seg->trade);
	else
		snprintf(o->name, sizeof(o->name), "武汉%s%s%s科技有限公司", a, b, seg->trade);

	/* 52: private non-enterprise unit (new R&D institutions); 91: enterprise. Region 420100, Wuhan. */
	make_uscc(strcmp(o->kind, "rd_unit") == 0 ? "52420100" : "91420100",
	          (uint32_t)(((uint64_t)i * BIJECT_MUL + mix(seed ^ 0x0C)) % 100000000u), o->uscc);
}

/* ---- synthetic people ---- */

/* Fills name, email local part and the pinyin initials from a surname and 1-2 given characters. */
static void make_name(struct rng *r, struct gg_demo_person *p, char *pinyin_local, size_t localsz)
{
	const struct surname *sn = pick_surname(r);
	const struct given *g1 = &givens[rng_below(r, NGIVENS)];
	const struct given *g2 = rng_below(r, 10) < 7 ? &givens[rng_below(r, NGIVENS)] : NULL;

	if (g2 != NULL) {
		snprintf(p->name, sizeof(p->name), "%s%s%s", sn->hanzi, g1->hanzi, g2->hanzi);
		snprintf(pinyin_local, localsz, "%s%c%c", sn->pinyin, g1->pinyin[0], g2->pinyin[0]);
	} else {
		snprintf(p->name, sizeof(p->name), "%s%s", sn->hanzi, g1->hanzi);
		snprintf(pinyin_local, localsz, "%s%s", sn->pinyin, g1->pinyin);
	}
}

/* Adds an honour unless the person holds that kind already or the year does not fit the age. */
static void add_honour(struct gg_demo_person *p, const char *kind, int year)
{
	int birth_year = atoi(p->birth_date);

	if (p->nhonours >= NELEM(p->honours) || year > 2025 || year < birth_year + 25)
		return;
	for (size_t k = 0; k < p->nhonours; k++)
		if (strcmp(p->honours[k].kind, kind) == 0)
			return;
	p->honours[p->nhonours].kind = kind;
	p->honours[p->nhonours].year = year;
	p->nhonours++;
}

static int is_academic(const char *org_kind)
{
	return strcmp(org_kind, "university") == 0 || strcmp(org_kind, "rd_unit") == 0;
}

/*
 * Classification that follows from the tier and the employer: honours and
 * a title. The scientist tiers go to people born before 1976 only (a
 * younger one is a leading talent), as recognition comes late.
 */
static void classify(struct rng *r, struct gg_demo_person *p, int academic)
{
	const char *const(*titles)[5] = academic ? academic_titles : company_titles;
	int by = atoi(p->birth_date), level;
	const char *tier = p->tier;

	if (tier != NULL && by > 1975 &&
	    (strcmp(tier, "strategic_scientist") == 0 || strcmp(tier, "top_scientist") == 0))
		tier = p->tier = "leading_talent";
	if (tier != NULL && (strcmp(tier, "strategic_scientist") == 0 || strcmp(tier, "top_scientist") == 0)) {
		unsigned x = rng_below(r, 10);
		if (strcmp(tier, "strategic_scientist") == 0 || x < 6)
			add_honour(p, rng_below(r, 2) ? "cas_academician" : "cae_academician",
			           by + 45 + (int)rng_below(r, 15));
		else if (x < 7)
			add_honour(p, "foreign_academy", by + 45 + (int)rng_below(r, 15));
		if (rng_below(r, 10) < 4)
			add_honour(p, "national_award", by + 35 + (int)rng_below(r, 15));
		level = 0;
	} else if (tier != NULL && strcmp(tier, "leading_talent") == 0) {
		if (rng_below(r, 100) < 15)
			add_honour(p, "national_award", by + 35 + (int)rng_below(r, 15));
		level = 1;
	} else {
		if (rng_below(r, 100) < 2)
			add_honour(p, "national_award", by + 35 + (int)rng_below(r, 15));
		level = 2;
	}
	p->title = titles[level][rng_below(r, 5)];
}

static void pick_words(struct rng *r, const struct segment *seg, struct gg_demo_person *p)
{
	size_t nf = 1 + rng_below(r, 2), nk = 1 + rng_below(r, 3);
	unsigned f0 = rng_below(r, 3), k0 = rng_below(r, 5);

	/* consecutive items from a random start: distinct without a retry loop */
	for (size_t k = 0; k < nf; k++)
		p->fields[p->nfields++] = seg->fields[(f0 + k) % 3];
	for (size_t k = 0; k < nk; k++)
		p->keywords[p->nkeywords++] = seg->keywords[(k0 + k) % 5];
}

static const struct segment *find_segment(const char *token)
{
	for (size_t k = 0; k < NSEGMENTS; k++)
		if (strcmp(segments[k].token, token) == 0)
			return &segments[k];
	return &segments[0];
}

void gg_demo_synth_person(uint64_t seed, uint64_t i, struct gg_demo_person *p)
{
	static const char *const prefixes[] = {"13", "15", "17", "18", "19"};
	uint64_t idx = (i % GG_DEMO_SYNTH_MAX * BIJECT_MUL + mix(seed ^ 0x11) % ID_SPACE) % ID_SPACE;
	unsigned seq = (unsigned)(idx % SYNTH_SEQS);
	uint64_t day = idx / SYNTH_SEQS % BIRTH_DAYS;
	const struct city *c = &cities[idx / SYNTH_SEQS / BIRTH_DAYS];
	uint64_t phone = (i * BIJECT_MUL + mix(seed ^ 0x12)) % 1000000000u;
	struct gg_demo_org org;
	const struct segment *seg;
	char local[32];
	struct rng r;

	memset(p, 0, sizeof(*p));
	rng_seed(&r, seed, 0x10, i);
	make_name(&r, p, local, sizeof(local));
	gg_clock_day_text(gg_clock_days_from_civil(BIRTH_FIRST_YEAR, 1, 1) + (int64_t)day, p->birth_date);
	make_resident_id(c->area, p->birth_date, seq, p->doc_number);
	p->gender = seq % 2 ? "male" : "female"; /* GB 11643: an odd sequence is a man */
	p->city = c->name;
	snprintf(p->phone, sizeof(p->phone), "%s%09" PRIu64, prefixes[rng_below(&r, NELEM(prefixes))], phone);
	snprintf(p->email, sizeof(p->email), "%s%" PRIu64 "@%s", local, i,
	         rng_below(&r, 2) ? "example.com" : "example.cn");

	/* larger organisations are likelier: the smaller of two uniform draws */
	{
		uint32_t u = rng_below(&r, GG_DEMO_SYNTH_ORGS), v = rng_below(&r, GG_DEMO_SYNTH_ORGS);
		p->org = u < v ? u : v;
	}
	gg_demo_synth_org(seed, p->org, &org);
	seg = rng_below(&r, 10) < 8 ? find_segment(org.segments[0]) : &segments[rng_below(&r, NSEGMENTS)];
	p->segments[p->nsegments++] = seg->token;
	pick_words(&r, seg, p);
	p->tier = pick_weighted(&r, tier_weights, NELEM(tier_weights));
	p->status = pick_weighted(&r, status_weights, NELEM(status_weights));
	classify(&r, p, is_academic(org.kind));
}

/* ---- talent and organisation inputs ---- */

static void person_input(const struct gg_demo_person *p, int64_t org_id, const char *notes, struct gg_talent_input *in)
{
	memset(in, 0, sizeof(*in));
	in->set_name = 1;
	in->name = p->name;
	in->set_latin_name = 1;
	in->set_gender = 1;
	in->gender = p->gender;
	in->set_birth_date = 1;
	in->birth_date = p->birth_date[0] ? p->birth_date : NULL;
	in->set_nationality = 1;
	in->nationality = "CN";
	in->set_document = 1;
	in->doc_type = p->doc_number[0] ? "resident_id" : NULL;
	in->doc_number = p->doc_number[0] ? p->doc_number : NULL;
	in->set_phone = 1;
	in->phone = p->phone[0] ? p->phone : NULL;
	in->set_email = 1;
	in->email = p->email[0] ? p->email : NULL;
	in->set_org = 1;
	in->org_id = org_id;
	in->set_title = 1;
	in->title = p->title;
	in->set_city = 1;
	in->city = p->city;
	in->set_fields = 1;
	in->fields = p->fields;
	in->nfields = p->nfields;
	in->set_keywords = 1;
	in->keywords = p->keywords;
	in->nkeywords = p->nkeywords;
	in->set_segments = 1;
	in->segments = p->segments;
	in->nsegments = p->nsegments;
	in->set_honours = 1;
	in->honours = p->honours;
	in->nhonours = p->nhonours;
	in->set_tier = 1;
	in->tier = p->tier;
	in->set_status = 1;
	in->status = p->status;
	in->set_notes = 1;
	in->notes = notes;
}

static void count_talent(struct gg_demo_counts *c, enum gg_talent_outcome o)
{
	if (o == GG_TALENT_CREATED)
		c->created++;
	else if (o == GG_TALENT_UPDATED)
		c->updated++;
	else
		c->unchanged++;
}

static void count_org(struct gg_demo_counts *c, enum gg_org_outcome o)
{
	if (o == GG_ORG_CREATED)
		c->created++;
	else if (o == GG_ORG_UPDATED)
		c->updated++;
	else
		c->unchanged++;
}

/* Writes one organisation, matched by credit code, else by exact name. */
static enum gg_err upsert_org(struct gg_db *db, const struct gg_keys *keys, const struct gg_org_input *in,
                              struct gg_demo_counts *c, int64_t *id, struct gg_error *err)
{
	enum gg_org_outcome outcome;
	int64_t found_id = 0;
	int found = 0;
	enum gg_err rc;

	if (in->uscc != NULL)
		rc = gg_org_find_by_uscc(db, in->uscc, &found_id, &found, err);
	else
		rc = gg_org_find_by_name(db, in->name, &found_id, &found, err);
	if (rc != GG_OK)
		return rc;
	rc = gg_org_write_tx(db, keys, &demo_actor, found ? found_id : 0, in, 0, id, &outcome, err);
	if (rc != GG_OK)
		return rc;
	count_org(c, outcome);
	return GG_OK;
}

/* Writes one talent, matched by its document; *id gets its id. */
static enum gg_err upsert_person(struct gg_db *db, const struct gg_keys *keys, const struct gg_talent_input *in,
                                 struct gg_demo_counts *c, int64_t *id, struct gg_error *err)
{
	enum gg_talent_outcome outcome;
	int64_t found_id = 0;
	int found = 0;
	enum gg_err rc;

	rc = gg_talent_find_by_doc(db, keys, in->doc_type, in->doc_number, &found_id, &found, err);
	if (rc != GG_OK)
		return rc;
	rc = gg_talent_write_tx(db, keys, &demo_actor, found ? found_id : 0, in, 0, id, &outcome, err);
	if (rc != GG_OK)
		return rc;
	count_talent(c, outcome);
	return GG_OK;
}

static void synth_org_input(const struct gg_demo_org *o, struct gg_org_input *in)
{
	memset(in, 0, sizeof(*in));
	in->set_name = 1;
	in->name = o->name;
	in->set_uscc = 1;
	in->uscc = o->uscc;
	in->set_kind = 1;
	in->kind = o->kind;
	in->set_park = 1;
	in->park = o->park;
	in->set_segments = 1;
	in->segments = o->segments;
	in->nsegments = o->nsegments;
	in->set_verified = 1;
	in->verified = o->verified;
}

static const char synth_notes[] = "合成数据 (synthetic)";

enum gg_err gg_demo_synthetic(struct gg_db *db, const struct gg_keys *keys, uint64_t seed, uint64_t first, uint64_t n,
                              gg_demo_progress_fn progress, void *ctx, struct gg_demo_report *rep, struct gg_error *err)
{
	int64_t *org_ids = NULL;
	struct gg_demo_person p;
	struct gg_talent_input in;
	int open = 0;
	enum gg_err rc = GG_OK;
	uint64_t k;

	memset(rep, 0, sizeof(*rep));
	if (first > GG_DEMO_SYNTH_MAX || n > GG_DEMO_SYNTH_MAX - first)
		return gg_error_set(err, GG_E_INVALID, "at most %d synthetic talents per seed", GG_DEMO_SYNTH_MAX);
	org_ids = calloc(GG_DEMO_SYNTH_ORGS, sizeof(*org_ids));
	if (org_ids == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	open = 1;
	for (size_t i = 0; i < GG_DEMO_SYNTH_ORGS; i++) {
		struct gg_demo_org o;
		struct gg_org_input oin;

		gg_demo_synth_org(seed, i, &o);
		synth_org_input(&o, &oin);
		if ((rc = upsert_org(db, keys, &oin, &rep->orgs, &org_ids[i], err)) != GG_OK)
			goto out;
	}
	for (k = 0; k < n; k++) {
		if (!open) {
			if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
				goto out;
			open = 1;
		}
		int64_t id;

		gg_demo_synth_person(seed, first + k, &p);
		person_input(&p, org_ids[p.org], synth_notes, &in);
		if ((rc = upsert_person(db, keys, &in, &rep->talents, &id, err)) != GG_OK)
			goto out;
		if ((k + 1) % GG_DEMO_BATCH == 0 || k + 1 == n) {
			open = 0;
			if ((rc = gg_db_commit(db, err)) != GG_OK)
				goto out;
			if (progress != NULL)
				progress(ctx, k + 1, n);
		}
	}
	if (open) { /* n == 0: the organisations alone */
		open = 0;
		rc = gg_db_commit(db, err);
	}
out:
	if (open)
		gg_db_rollback(db);
	free(org_ids);
	return rc;
}

/* ---- CSV ---- */

/* Headers come from the export column table, in English, so the file is what an import reads. */
static enum gg_err csv_header(enum gg_export_sheet sheet, struct gg_buf *out)
{
	const char *row[32]; /* more than either sheet has */
	const struct gg_export_column *cols;
	size_t n;

	cols = gg_export_columns(sheet, &n);
	if (cols == NULL || n > NELEM(row))
		return GG_E_INTERNAL;
	for (size_t k = 0; k < n; k++)
		row[k] = cols[k].en;
	return gg_csv_write_row(out, row, n);
}

enum gg_err gg_demo_csv_talent_header(struct gg_buf *out)
{
	return csv_header(GG_EXPORT_TALENTS, out);
}

enum gg_err gg_demo_csv_org_header(struct gg_buf *out)
{
	return csv_header(GG_EXPORT_ORGS, out);
}

/* Joins items with ';' into out (a fixed array: the generator's words are short). */
static void join(const char *const *items, size_t n, char *out, size_t outsz)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t k = 0; k < n && len < outsz; k++)
		len += (size_t)snprintf(out + len, outsz - len, "%s%s", k ? ";" : "", items[k]);
}

enum gg_err gg_demo_csv_talent(uint64_t seed, uint64_t i, struct gg_buf *out)
{
	struct gg_demo_person p;
	struct gg_demo_org o;
	char fields[128], keywords[192], segs[64], honours[96];
	const char *row[GG_TCOL__COUNT];
	size_t len = 0;

	gg_demo_synth_person(seed, i, &p);
	gg_demo_synth_org(seed, p.org, &o);
	join(p.fields, p.nfields, fields, sizeof(fields));
	join(p.keywords, p.nkeywords, keywords, sizeof(keywords));
	join(p.segments, p.nsegments, segs, sizeof(segs));
	honours[0] = '\0';
	for (size_t k = 0; k < p.nhonours; k++)
		len += (size_t)snprintf(honours + len, sizeof(honours) - len, "%s%s:%d", k ? ";" : "",
		                        p.honours[k].kind, p.honours[k].year);
	row[GG_TCOL_NAME] = p.name;
	row[GG_TCOL_LATIN_NAME] = "";
	row[GG_TCOL_GENDER] = p.gender;
	row[GG_TCOL_BIRTH_DATE] = p.birth_date;
	row[GG_TCOL_NATIONALITY] = "CN";
	row[GG_TCOL_DOC_TYPE] = "resident_id";
	row[GG_TCOL_DOC_NUMBER] = p.doc_number;
	row[GG_TCOL_PHONE] = p.phone;
	row[GG_TCOL_EMAIL] = p.email;
	row[GG_TCOL_ORG_USCC] = o.uscc;
	row[GG_TCOL_ORG_NAME] = o.name;
	row[GG_TCOL_TITLE] = p.title;
	row[GG_TCOL_CITY] = p.city;
	row[GG_TCOL_FIELDS] = fields;
	row[GG_TCOL_KEYWORDS] = keywords;
	row[GG_TCOL_SEGMENTS] = segs;
	row[GG_TCOL_HONOURS] = honours;
	row[GG_TCOL_TIER] = p.tier != NULL ? p.tier : "";
	row[GG_TCOL_STATUS] = p.status;
	row[GG_TCOL_NOTES] = synth_notes;
	return gg_csv_write_row(out, row, NELEM(row));
}

enum gg_err gg_demo_csv_org(uint64_t seed, size_t i, struct gg_buf *out)
{
	struct gg_demo_org o;
	char segs[64];
	const char *row[GG_OCOL__COUNT];

	gg_demo_synth_org(seed, i, &o);
	join(o.segments, o.nsegments, segs, sizeof(segs));
	row[GG_OCOL_NAME] = o.name;
	row[GG_OCOL_USCC] = o.uscc;
	row[GG_OCOL_KIND] = o.kind;
	row[GG_OCOL_PARK] = o.park;
	row[GG_OCOL_SEGMENTS] = segs;
	row[GG_OCOL_VERIFIED] = o.verified ? "true" : "false";
	return gg_csv_write_row(out, row, NELEM(row));
}

/* ---- the demo set ---- */

struct demo_contact {
	const char *name, *title, *phone, *email;
};

/*
 * The organisations. Real ones (named in the article) have no credit code:
 * the demo does not guess a real organisation's identifier. Invented ones
 * have a code made from head and body (check characters computed).
 */
struct demo_org {
	const char *name;
	const char *uscc_head; /* NULL: a real organisation, no code */
	uint32_t uscc_body;
	const char *kind;
	const char *park;
	const char *segments[2];
	int verified;
	struct demo_contact contacts[2];
};

enum {
	ORG_XINHUAYANG,
	ORG_HUAYANG_KERUI,
	ORG_XINSAIER,
	ORG_GUIDE,
	ORG_ACCELINK,
	ORG_AI_INSTITUTE,
	ORG_INDUSTRY_INSTITUTE,
	ORG_AI_COMPUTING,
	ORG_WHUT,
	ORG_TIEN_CENTER,
	ORG_BANK_DONGHU,
	ORG_BANK_JIANGCHENG,
	ORG_INCUBATOR,
	ORG_TALENT_SERVICE,
	ORG_JINGLAN,
	ORG_PANSHI,
	ORG_HENGYUAN,
	ORG_CHENGXIN,
	ORG_BOYI,
	ORG_ZHUOTUO,
	NDEMO_ORGS
};

static const struct demo_org demo_orgs[NDEMO_ORGS] = {
    [ORG_XINHUAYANG] = {"武汉新华扬生物股份有限公司",
                        NULL,
                        0,
                        "leading_enterprise",
                        "光谷生物城",
                        {"synthetic_biology"},
                        0,
                        {{"顾凌芳", "知识产权与项目部主任", NULL, NULL}}},
    [ORG_HUAYANG_KERUI] = {"华扬科瑞", NULL, 0, "rd_unit", "光谷生物城", {"synthetic_biology"}, 0, {{0}}},
    [ORG_XINSAIER] = {"鑫赛尔",
                      NULL,
                      0,
                      "leading_enterprise",
                      NULL,
                      {"thermoelectric_devices", "thermoelectric_materials"},
                      0,
                      {{"闫永高", "总经理", NULL, NULL}}},
    [ORG_GUIDE] = {"武汉高德红外股份有限公司", NULL, 0, "leading_enterprise", NULL, {"infrared"}, 0, {{0}}},
    [ORG_ACCELINK] = {"武汉光迅科技股份有限公司",
                      NULL,
                      0,
                      "leading_enterprise",
                      NULL,
                      {"optical_communication", "optoelectronic_chips"},
                      0,
                      {{0}}},
    [ORG_AI_INSTITUTE] = {"武汉人工智能研究院", NULL, 0, "rd_unit", NULL, {"multimodal_models"}, 0, {{0}}},
    [ORG_INDUSTRY_INSTITUTE] = {"武汉产业创新发展研究院",
                                NULL,
                                0,
                                "rd_unit",
                                NULL,
                                {"cad_cae", "industrial_control"},
                                0,
                                {{"孙佳", "智能工业软件研究院副院长", NULL, NULL}}},
    [ORG_AI_COMPUTING] = {"武汉人工智能计算中心", NULL, 0, "platform", NULL, {"ai_computing"}, 0, {{0}}},
    [ORG_WHUT] = {"武汉理工大学", NULL, 0, "university", NULL, {"thermoelectric_materials"}, 0, {{0}}},
    [ORG_TIEN_CENTER] = {"田长霖中心", NULL, 0, "platform", NULL, {"ic_design", "ic_manufacturing"}, 0, {{0}}},
    [ORG_BANK_DONGHU] = {"东湖联合银行",
                         "91420111",
                         30517262u,
                         "bank",
                         "光谷中心城",
                         {NULL},
                         1,
                         {{"林晓雯", "人才金融部客户经理", "16620260101", "linxiaowen@example.cn"}}},
    [ORG_BANK_JIANGCHENG] = {"江城科技银行",
                             "91420111",
                             41736585u,
                             "bank",
                             "光谷中心城",
                             {NULL},
                             1,
                             {{"邵嘉怡", "科技支行行长", "16620260102", "shaojiayi@example.cn"}}},
    [ORG_INCUBATOR] = {"光谷启明星孵化器",
                       "91420111",
                       52064713u,
                       "incubator",
                       "光谷未来科技城",
                       {"optoelectronic_chips", "ic_design"},
                       1,
                       {{"彭思远", "运营总监", "16620260103", "pengsiyuan@example.com"}}},
    [ORG_TALENT_SERVICE] = {"汉江云帆人才服务有限公司",
                            "91420111",
                            63981274u,
                            "service_provider",
                            "光谷中心城",
                            {NULL},
                            1,
                            {{"鲁欣然", "人才服务专员", "16620260104", "luxinran@example.com"}}},
    [ORG_JINGLAN] = {"武汉晶澜光电科技有限公司",
                     "91420111",
                     71450386u,
                     "leading_enterprise",
                     "光谷光电子信息产业园",
                     {"lasers", "infrared"},
                     1,
                     {{"葛晓峰", "人力资源总监", "16620260105", "gexiaofeng@example.com"}}},
    [ORG_PANSHI] = {"武汉磐石智算科技有限公司",
                    "91420111",
                    82317549u,
                    "leading_enterprise",
                    "光谷软件园",
                    {"ai_computing", "multimodal_models"},
                    1,
                    {{0}}},
    [ORG_HENGYUAN] = {"武汉衡远医疗器械有限公司",
                      "91420111",
                      13579246u,
                      "leading_enterprise",
                      "光谷生物城",
                      {"medical_devices"},
                      0,
                      {{0}}},
    [ORG_CHENGXIN] = {"武汉澄芯微电子有限公司",
                      "91420111",
                      24681357u,
                      "leading_enterprise",
                      "光谷光电子信息产业园",
                      {"ic_design", "ic_manufacturing"},
                      1,
                      {{0}}},
    [ORG_BOYI] = {"武汉博屹生物医药研究院", "52420111", 35792468u, "rd_unit", "光谷生物城", {"biomedicine"}, 1, {{0}}},
    [ORG_ZHUOTUO] = {"武汉卓拓工业软件有限公司",
                     "91420111",
                     46813579u,
                     "leading_enterprise",
                     "光谷软件园",
                     {"industrial_control", "cad_cae"},
                     0,
                     {{0}}},
};

/*
 * The real people of the article: what it says about them, no personal
 * identifier (no document, phone, e-mail or birth date), honours without
 * a year where the article gives none.
 */
struct demo_real {
	const char *name, *latin_name;
	int org;
	const char *title;
	const char *fields[2];
	const char *keywords[3];
	const char *segment;
	struct gg_talent_honour honours[2];
	const char *tier, *status, *notes;
};

static const struct demo_real demo_reals[] = {
    {"姚斌",
     "Yao Bin",
     ORG_HUAYANG_KERUI,
     NULL,
     {"合成生物学", "功能蛋白"},
     {"功能蛋白", "基因资源挖掘", "成果转化"},
     "synthetic_biology",
     {{"cae_academician", 0}},
     "top_scientist",
     "landed",
     "中国工程院院士。团队功能蛋白科研成果转化项目落户光谷，与新华扬共同成立华扬科瑞，派出10余人的核心团队。"
     "(据专题报道《汇聚顶尖人才，以“使用”为导向，共建世界光谷》)"},
    {"陈十一",
     "Chen Shiyi",
     ORG_INDUSTRY_INSTITUTE,
     NULL,
     {"工业软件", "人工智能"},
     {"智能工业软件研究院", "工业软件"},
     "cad_cae",
     {{"cas_academician", 0}},
     "top_scientist",
     "landed",
     "院士团队与武汉产业创新发展研究院共同组建智能工业软件研究院，揭牌落户光谷。(据专题报道)"},
    {"张清杰",
     "Zhang Qingjie",
     ORG_WHUT,
     "教授",
     {"半导体热电", "材料科学"},
     {"热电材料", "授权发明专利58项", "半导体热电芯片"},
     "thermoelectric_materials",
     {{"cas_academician", 0}, {"national_award", 0}},
     "top_scientist",
     "landed",
     "中国科学院院士，在半导体热电领域耕耘20余年，获国家技术发明奖二等奖、国家自然科学奖二等奖，"
     "授权发明专利58项；成果在鑫赛尔产业化。(据专题报道)"},
    {"王金桥",
     "Wang Jinqiao",
     ORG_AI_INSTITUTE,
     "院长",
     {"人工智能", "多模态大模型"},
     {"紫东太初", "多模态大模型", "全模态大模型"},
     "multimodal_models",
     {{0}},
     "leading_talent",
     "serving",
     "中科院自动化研究所“紫东太初”大模型中心常务副主任，任武汉人工智能研究院院长，认定为光谷3551领军人才。"
     "(据专题报道)"},
};
#define NDEMO_REALS (sizeof(demo_reals) / sizeof(demo_reals[0]))

#define NDEMO_PEOPLE 40
#define DEMO_SEED    0x6775616e67677500ull /* "guanggu" */
static const char demo_notes[] = "虚构示例人物 (invented demo person)";

/* Which demo organisation employs an invented person of a segment: two choices, alternating. */
static const struct {
	const char *segment;
	int org[2];
} segment_orgs[] = {
    {"optical_communication", {ORG_ACCELINK, ORG_INCUBATOR}},
    {"lasers", {ORG_JINGLAN, ORG_JINGLAN}},
    {"infrared", {ORG_GUIDE, ORG_JINGLAN}},
    {"optoelectronic_chips", {ORG_ACCELINK, ORG_INCUBATOR}},
    {"synthetic_biology", {ORG_HUAYANG_KERUI, ORG_XINHUAYANG}},
    {"biomedicine", {ORG_BOYI, ORG_BOYI}},
    {"medical_devices", {ORG_HENGYUAN, ORG_HENGYUAN}},
    {"multimodal_models", {ORG_AI_INSTITUTE, ORG_PANSHI}},
    {"ai_computing", {ORG_AI_COMPUTING, ORG_PANSHI}},
    {"cad_cae", {ORG_INDUSTRY_INSTITUTE, ORG_ZHUOTUO}},
    {"industrial_control", {ORG_ZHUOTUO, ORG_INDUSTRY_INSTITUTE}},
    {"thermoelectric_materials", {ORG_WHUT, ORG_XINSAIER}},
    {"thermoelectric_devices", {ORG_XINSAIER, ORG_XINSAIER}},
    {"ic_design", {ORG_CHENGXIN, ORG_TIEN_CENTER}},
    {"ic_manufacturing", {ORG_CHENGXIN, ORG_CHENGXIN}},
};

static const char *const demo_tiers[] = {"strategic_scientist", "top_scientist", "leading_talent",
                                         "high_level",          "other",         NULL};
static const char *const demo_statuses[] = {"prospect", "in_contact", "landed", "serving", "left"};

static int name_taken(const char names[][GG_DEMO_NAME_BYTES], size_t n, const char *name)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(names[k], name) == 0)
			return 1;
	for (size_t k = 0; k < NDEMO_REALS; k++)
		if (strcmp(demo_reals[k].name, name) == 0)
			return 1;
	return 0;
}

/*
 * Invented person k of the demo: a name from the generator (distinct from
 * the others), classification cycled so that each tier, status and
 * segment appears, a birth date and city spread by k, a resident id with
 * sequence 900 + 2k (+1 for a man), a 166 phone and an example e-mail.
 */
static void demo_person(size_t k, char names[][GG_DEMO_NAME_BYTES], struct gg_demo_person *p, int *org)
{
	static const struct {
		const char *kind;
		int year;
	} extra_honours[] = {{"national_award", 2016}, {"foreign_academy", 2019}};
	const struct segment *seg = &segments[k % NSEGMENTS];
	const struct city *c = &cities[(k * 7) % NCITIES];
	struct gg_demo_person g;
	char local[32];
	struct rng r;
	uint64_t cand = k;
	int year, male;

	/* the first unused name among the generator's people of the demo seed, in order */
	for (;; cand += NDEMO_PEOPLE) {
		rng_seed(&r, DEMO_SEED, 0x10, cand);
		memset(&g, 0, sizeof(g));
		make_name(&r, &g, local, sizeof(local));
		if (!name_taken((const char(*)[GG_DEMO_NAME_BYTES])names, k, g.name))
			break;
	}
	memset(p, 0, sizeof(*p));
	memcpy(p->name, g.name, sizeof(p->name));
	memcpy(names[k], g.name, sizeof(p->name));
	male = k % 3 != 1;
	p->gender = male ? "male" : "female";
	p->tier = demo_tiers[k % NELEM(demo_tiers)];
	p->status = demo_statuses[k % NELEM(demo_statuses)];
	/* scientists born 1952-1971, leading talents 1965-1984, the others 1970-1997 */
	if (p->tier != NULL && (strcmp(p->tier, "strategic_scientist") == 0 || strcmp(p->tier, "top_scientist") == 0))
		year = 1952 + (int)((k * 7) % 20);
	else if (p->tier != NULL && strcmp(p->tier, "leading_talent") == 0)
		year = 1965 + (int)((k * 7) % 20);
	else
		year = 1970 + (int)((k * 7) % 28);
	snprintf(p->birth_date, sizeof(p->birth_date), "%04u-%02u-%02u", (unsigned)year % 10000u,
	         (unsigned)(k % 12) + 1, (unsigned)((k * 11) % 28) + 1);
	make_resident_id(c->area, p->birth_date, 900 + 2 * (unsigned)k + (unsigned)male, p->doc_number);
	p->city = c->name;
	snprintf(p->phone, sizeof(p->phone), "166%08u", 27180000u + (unsigned)k * 137u);
	snprintf(p->email, sizeof(p->email), "%s@%s", local, k % 2 ? "example.cn" : "example.com");
	p->segments[p->nsegments++] = seg->token;
	p->fields[p->nfields++] = seg->fields[k % 3];
	p->keywords[p->nkeywords++] = seg->keywords[k % 5];
	p->keywords[p->nkeywords++] = seg->keywords[(k + 2) % 5];
	*org = segment_orgs[k % NSEGMENTS].org[(k / NSEGMENTS) % 2];
	rng_seed(&r, DEMO_SEED, 0x20, k);
	classify(&r, p, is_academic(demo_orgs[*org].kind));
	if (k % 9 == 4)
		add_honour(p, extra_honours[k % 2].kind, extra_honours[k % 2].year);
}

/* The contacts of organisation id as (id, name, title), read inside the caller's transaction. */
struct cur_contact {
	int64_t id;
	char name[4 * GG_ORG_CONTACT_NAME_MAX + 1];
	char title[4 * GG_ORG_CONTACT_TITLE_MAX + 1];
};

static enum gg_err read_contacts(struct gg_db *db, int64_t org_id, struct cur_contact *out, size_t max, size_t *n,
                                 struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	*n = 0;
	rc = gg_db_prepare(db, "SELECT id, name, title FROM org_contacts WHERE org_id = ? ORDER BY id", &st, err);
	if (rc != GG_OK)
		return rc;
	if ((rc = gg_db_bind_i64(st, 1, org_id)) != GG_OK)
		goto out;
	while ((rc = gg_db_step(st, &row, err)) == GG_OK && row && *n < max) {
		const char *name = gg_db_col_text(st, 1), *title = gg_db_col_text(st, 2);

		out[*n].id = gg_db_col_i64(st, 0);
		snprintf(out[*n].name, sizeof(out[*n].name), "%s", name != NULL ? name : "");
		snprintf(out[*n].title, sizeof(out[*n].title), "%s", title != NULL ? title : "");
		(*n)++;
	}
out:
	gg_db_done(st);
	if (rc != GG_OK && err != NULL && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

/*
 * The organisation input of demo organisation d. Contacts: one already
 * there (by name) keeps its id and its personal data (a stored phone
 * cannot be compared without decrypting it); a missing one is added with
 * the demo values; contacts someone else added stay.
 */
static void demo_org_input(const struct demo_org *d, const char *uscc, const struct cur_contact *cur, size_t ncur,
                           struct gg_org_contact_input *contacts, struct gg_org_input *in)
{
	size_t nseg = 0, nc = 0;

	memset(in, 0, sizeof(*in));
	while (nseg < 2 && d->segments[nseg] != NULL)
		nseg++;
	in->set_name = 1;
	in->name = d->name;
	in->set_uscc = 1;
	in->uscc = uscc;
	in->set_kind = 1;
	in->kind = d->kind;
	in->set_park = 1;
	in->park = d->park;
	in->set_segments = 1;
	in->segments = d->segments;
	in->nsegments = nseg;
	in->set_verified = 1;
	in->verified = d->verified;

	for (size_t e = 0; e < ncur; e++) {
		int mine = 0;
		for (size_t c = 0; c < 2 && d->contacts[c].name != NULL; c++)
			mine |= strcmp(cur[e].name, d->contacts[c].name) == 0;
		if (!mine) {
			memset(&contacts[nc], 0, sizeof(contacts[nc]));
			contacts[nc].id = cur[e].id;
			contacts[nc].name = cur[e].name;
			contacts[nc].title = cur[e].title[0] ? cur[e].title : NULL;
			nc++;
		}
	}
	for (size_t c = 0; c < 2 && d->contacts[c].name != NULL; c++) {
		struct gg_org_contact_input *ci = &contacts[nc++];

		memset(ci, 0, sizeof(*ci));
		ci->name = d->contacts[c].name;
		ci->title = d->contacts[c].title;
		for (size_t e = 0; e < ncur; e++)
			if (strcmp(cur[e].name, ci->name) == 0)
				ci->id = cur[e].id;
		if (ci->id == 0) {
			ci->set_phone = 1;
			ci->phone = d->contacts[c].phone;
			ci->set_email = 1;
			ci->email = d->contacts[c].email;
		}
	}
	in->set_contacts = nc > 0;
	in->contacts = contacts;
	in->ncontacts = nc;
}

static enum gg_err load_orgs(struct gg_db *db, const struct gg_keys *keys, int64_t ids[NDEMO_ORGS],
                             struct gg_demo_report *rep, struct gg_error *err)
{
	for (size_t k = 0; k < NDEMO_ORGS; k++) {
		const struct demo_org *d = &demo_orgs[k];
		struct cur_contact cur[GG_ORG_CONTACTS_MAX];
		struct gg_org_contact_input contacts[GG_ORG_CONTACTS_MAX + 2];
		struct gg_org_input in;
		enum gg_org_outcome outcome;
		char uscc[19];
		int64_t found_id = 0;
		size_t ncur = 0;
		int found = 0;
		enum gg_err rc;

		if (d->uscc_head != NULL) {
			make_uscc(d->uscc_head, d->uscc_body, uscc);
			rc = gg_org_find_by_uscc(db, uscc, &found_id, &found, err);
		} else {
			rc = gg_org_find_by_name(db, d->name, &found_id, &found, err);
		}
		if (rc != GG_OK)
			return rc;
		if (found && (rc = read_contacts(db, found_id, cur, GG_ORG_CONTACTS_MAX, &ncur, err)) != GG_OK)
			return rc;
		demo_org_input(d, d->uscc_head != NULL ? uscc : NULL, cur, ncur, contacts, &in);
		rc = gg_org_write_tx(db, keys, &demo_actor, found ? found_id : 0, &in, 0, &ids[k], &outcome, err);
		if (rc != GG_OK)
			return rc;
		count_org(&rep->orgs, outcome);
	}
	return GG_OK;
}

/* The real person named name at org: the lowest id not merged away; *id 0 when none. */
static enum gg_err find_real(struct gg_db *db, const char *name, int64_t org_id, int64_t *id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	*id = 0;
	rc = gg_db_prepare(db,
	                   "SELECT id FROM talents WHERE name = ? AND org_id = ? AND merged_into IS NULL "
	                   "ORDER BY id LIMIT 1",
	                   &st, err);
	if (rc != GG_OK)
		return rc;
	if ((rc = gg_db_bind_text(st, 1, name)) != GG_OK || (rc = gg_db_bind_i64(st, 2, org_id)) != GG_OK)
		goto out;
	if ((rc = gg_db_step(st, &row, err)) != GG_OK)
		goto out;
	if (row)
		*id = gg_db_col_i64(st, 0);
out:
	gg_db_done(st);
	if (rc != GG_OK && err != NULL && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

static enum gg_err load_reals(struct gg_db *db, const struct gg_keys *keys, const int64_t org_ids[NDEMO_ORGS],
                              struct gg_demo_report *rep, struct gg_error *err)
{
	for (size_t k = 0; k < NDEMO_REALS; k++) {
		const struct demo_real *d = &demo_reals[k];
		struct gg_demo_person p;
		struct gg_talent_input in;
		enum gg_talent_outcome outcome;
		int64_t id = 0, out_id;
		enum gg_err rc;

		memset(&p, 0, sizeof(p));
		snprintf(p.name, sizeof(p.name), "%s", d->name);
		p.gender = "male";
		p.title = d->title;
		while (p.nfields < 2 && d->fields[p.nfields] != NULL) {
			p.fields[p.nfields] = d->fields[p.nfields];
			p.nfields++;
		}
		while (p.nkeywords < 3 && d->keywords[p.nkeywords] != NULL) {
			p.keywords[p.nkeywords] = d->keywords[p.nkeywords];
			p.nkeywords++;
		}
		p.segments[p.nsegments++] = d->segment;
		while (p.nhonours < 2 && d->honours[p.nhonours].kind != NULL) {
			p.honours[p.nhonours] = d->honours[p.nhonours];
			p.nhonours++;
		}
		p.tier = d->tier;
		p.status = d->status;
		person_input(&p, org_ids[d->org], d->notes, &in);
		in.latin_name = d->latin_name;
		if ((rc = find_real(db, d->name, org_ids[d->org], &id, err)) != GG_OK)
			return rc;
		rc = gg_talent_write_tx(db, keys, &demo_actor, id, &in, 0, &out_id, &outcome, err);
		if (rc != GG_OK)
			return rc;
		count_talent(&rep->talents, outcome);
	}
	return GG_OK;
}

static enum gg_err load_people(struct gg_db *db, const struct gg_keys *keys, const int64_t org_ids[NDEMO_ORGS],
                               int64_t ids[NDEMO_PEOPLE], int orgs[NDEMO_PEOPLE], struct gg_demo_report *rep,
                               struct gg_error *err)
{
	char names[NDEMO_PEOPLE][GG_DEMO_NAME_BYTES];

	for (size_t k = 0; k < NDEMO_PEOPLE; k++) {
		struct gg_demo_person p;
		struct gg_talent_input in;
		int org;
		enum gg_err rc;

		demo_person(k, names, &p, &org);
		orgs[k] = org;
		person_input(&p, org_ids[org], demo_notes, &in);
		if ((rc = upsert_person(db, keys, &in, &rep->talents, &ids[k], err)) != GG_OK)
			return rc;
	}
	return GG_OK;
}

/*
 * One likely duplicate, as every registry has them: invented person 0
 * entered a second time by another organisation, with the same name and
 * birth date but without document, phone or e-mail and not yet
 * classified. The talent write opens its duplicate_review task, so the
 * duplicates review and "my tasks" have a case to merge or dismiss from
 * the start. Found again by name and organisation, like the real people.
 */
static const char lookalike_notes[] = "虚构示例人物：另一单位重复录入的同一人（演示疑似重复与合并）";

static enum gg_err load_lookalike(struct gg_db *db, const struct gg_keys *keys, const int64_t org_ids[NDEMO_ORGS],
                                  struct gg_demo_report *rep, struct gg_error *err)
{
	char names[1][GG_DEMO_NAME_BYTES];
	struct gg_demo_person p;
	struct gg_talent_input in;
	enum gg_talent_outcome outcome;
	int64_t id, out_id;
	int org;
	enum gg_err rc;

	demo_person(0, names, &p, &org);
	org = org == ORG_INCUBATOR ? ORG_ACCELINK : ORG_INCUBATOR;
	p.doc_number[0] = p.phone[0] = p.email[0] = '\0';
	p.nhonours = 0;
	p.tier = NULL;
	p.status = "prospect";
	person_input(&p, org_ids[org], lookalike_notes, &in);
	if ((rc = find_real(db, p.name, org_ids[org], &id, err)) != GG_OK)
		return rc;
	if ((rc = gg_talent_write_tx(db, keys, &demo_actor, id, &in, 0, &out_id, &outcome, err)) != GG_OK)
		return rc;
	count_talent(&rep->talents, outcome);
	return GG_OK;
}

/*
 * The first Optics Valley station. The article gives its city and "this
 * April" without a year or a day, and names no host: no opening date and
 * no host are stored, the notes quote what the article says.
 */
static const struct gg_station_input demo_station = {
    .name = "光谷站·上海",
    .city = "上海",
    .country = "CN",
    .status = "open",
    .notes = "首个“光谷站”。据专题报道《汇聚顶尖人才，以“使用”为导向，共建世界光谷》：“今年4月，首个‘光谷站’在上海开通”"
             "（报道未载年份与日期）；“光谷站”已为30多家企业对接了80余名高层次人才。",
};

static enum gg_err load_station(struct gg_db *db, int64_t *id, struct gg_demo_report *rep, struct gg_error *err)
{
	enum gg_station_outcome outcome;
	int64_t found_id = 0;
	int found = 0;
	enum gg_err rc;

	if ((rc = gg_station_find_by_name(db, demo_station.name, &found_id, &found, err)) != GG_OK)
		return rc;
	rc = gg_station_write_tx(db, &demo_actor, found ? found_id : 0, &demo_station, 0, id, &outcome, err);
	if (rc != GG_OK)
		return rc;
	if (outcome == GG_STATION_CREATED)
		rep->stations.created++;
	else if (outcome == GG_STATION_UPDATED)
		rep->stations.updated++;
	else
		rep->stations.unchanged++;
	return GG_OK;
}

/* ---- recruitment orders ---- */

/*
 * The demo's recruitment orders, issued by its leading enterprises and
 * R&D units. A hired one names the invented person who took the post
 * (an employee of that organisation already recognised at or above the
 * leading-talent tier, so that recording the recognition changes no demo
 * record) and the contract, chosen so that the recognitions reproduce
 * DOMAIN.md's worked examples; the others stay open.
 */
struct demo_order {
	int org;
	const char *title, *segment, *salary, *description;
	int person; /* invented person k hired; -1: the order stays open */
	const char *start_on;
};

static const struct demo_order demo_orders[] = {
    /* 1,200,000: 3 x 600,000; the person behind the demo talent account, at the demo employer */
    {ORG_JINGLAN, "激光雷达首席科学家", "lasers", "1200000.00", "负责车规级激光雷达光源与探测链路的研发。", 1,
     "2024-03-01"},
    /* 1,000,000, the threshold itself: 3 x 500,000 */
    {ORG_XINSAIER, "热电材料研发总监", "thermoelectric_materials", "1000000.00",
     "负责碲化铋基热电材料的性能提升与量产工艺。", 26, "2024-07-01"},
    /* 8,000,000 at an R&D unit: 4,000,000, 4,000,000 and the cap's 2,000,000 */
    {ORG_BOYI, "抗体药物首席科学家", "biomedicine", "8000000.00", "牵头双特异性抗体药物管线的研发与临床转化。", 20,
     "2024-09-01"},
    /* 999,999.99: one fen below the threshold, the hire registered without recognition */
    {ORG_CHENGXIN, "先进封装工艺总监", "ic_manufacturing", "999999.99", "负责晶圆级先进封装产线的工艺开发。", 14,
     "2025-01-01"},
    {ORG_JINGLAN, "超快激光器研发总监", "lasers", "1500000.00", "负责飞秒光纤激光器的整机研发。", -1, NULL},
    {ORG_AI_INSTITUTE, "多模态大模型算法科学家", "multimodal_models", "2000000.00",
     "参与全模态大模型的训练与行业应用。", -1, NULL},
};
#define NDEMO_ORDERS (sizeof(demo_orders) / sizeof(demo_orders[0]))
#define DEMO_TERM    5 /* years of the demo's contracts */

static enum gg_err load_orders(struct gg_db *db, const struct gg_policyset *set, const int64_t org_ids[NDEMO_ORGS],
                               const int64_t people[NDEMO_PEOPLE], const int person_orgs[NDEMO_PEOPLE],
                               struct gg_demo_report *rep, struct gg_error *err)
{
	for (size_t i = 0; i < NDEMO_ORDERS; i++) {
		const struct demo_order *d = &demo_orders[i];
		const struct gg_order_new in = {org_ids[d->org], d->title, d->segment, d->salary, d->description};
		struct gg_hire_result res;
		int64_t id = 0;
		enum gg_err rc;

		if ((rc = gg_order_find(db, org_ids[d->org], d->title, &id, err)) != GG_OK)
			return rc;
		if (id) {
			rep->orders.unchanged++;
			continue;
		}
		if (d->person >= 0 && person_orgs[d->person] != d->org)
			return gg_error_set(err, GG_E_INTERNAL, "demo order '%s': person %d works elsewhere", d->title,
			                    d->person);
		if ((rc = gg_order_issue_tx(db, &demo_actor, &in, &id, err)) != GG_OK)
			return rc;
		rep->orders.created++;
		if (d->person < 0)
			continue;
		const struct gg_hire_new h = {id, people[d->person], d->salary, d->start_on, DEMO_TERM};
		rc = gg_order_hire_tx(db, set, &demo_actor, &h, &res, err);
		if (rc == GG_OK) {
			rep->hires++;
			rep->recognised += res.recognition_id != 0;
		}
		gg_hire_result_release(&res);
		if (rc != GG_OK)
			return rc;
	}
	return GG_OK;
}

/* ---- the demo accounts ---- */

/* Where a role's demo account is scoped: the demo record it names. */
enum scope_src { SCOPE_NONE, SCOPE_ORG, SCOPE_STATION, SCOPE_TALENT };

static const struct {
	enum scope_src src;
	int org; /* SCOPE_ORG: a demo organisation */
} account_scopes[GG_ROLE__COUNT] = {
    [GG_ROLE_station_operator] = {SCOPE_STATION, 0},
    /* an invented leading enterprise employing four demo people */
    [GG_ROLE_employer] = {SCOPE_ORG, ORG_JINGLAN},
    [GG_ROLE_talent] = {SCOPE_TALENT, 0},
    [GG_ROLE_bank] = {SCOPE_ORG, ORG_BANK_DONGHU},
    [GG_ROLE_provider] = {SCOPE_ORG, ORG_TALENT_SERVICE},
};

/* The invented person behind the talent account (an employee of ORG_JINGLAN, full personal data). */
#define ACCOUNT_PERSON 1
/* The invented people the demo commissioner serves: every sixth, the strategic scientists. */
#define COMMISSIONER_EVERY 6

/* The records the accounts' scopes name, from the load. */
struct scope_ids {
	const int64_t *orgs;   /* NDEMO_ORGS */
	const int64_t *people; /* NDEMO_PEOPLE */
	int64_t station;
};

/* 1 when an account named username exists (inside the caller's transaction). */
static enum gg_err account_exists(struct gg_db *db, const char *username, int *exists, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	rc = gg_db_prepare(db, "SELECT id FROM users WHERE username = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, username)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	*exists = row;
	gg_db_done(st);
	if (rc != GG_OK && err != NULL && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

enum gg_err gg_demo_accounts_missing(struct gg_db *db, size_t *missing, struct gg_error *err)
{
	enum gg_err rc = gg_db_begin(db, GG_DB_READ, err);

	*missing = 0;
	for (int r = 0; rc == GG_OK && r < GG_ROLE__COUNT; r++) {
		int exists = 0;
		rc = account_exists(db, gg_role_token((enum gg_role)r), &exists, err);
		*missing += !exists;
	}
	gg_db_rollback(db);
	return rc;
}

void gg_demo_report_wipe(struct gg_demo_report *rep)
{
	for (size_t i = 0; i < GG_ROLE__COUNT; i++) {
		volatile char *p = rep->accounts[i].password;
		for (size_t k = 0; k < sizeof(rep->accounts[i].password); k++)
			p[k] = 0;
	}
}

/* Passwords and their hashes for the accounts, made before the write transaction (argon2id, ~50 ms each). */
struct account_secrets {
	int missing[GG_ROLE__COUNT]; /* 1: no account had the name when the load began */
	char hash[GG_ROLE__COUNT][GG_PWHASH_MAX];
};

static enum gg_err make_secrets(struct gg_db *db, struct gg_demo_report *rep, struct account_secrets *sec,
                                struct gg_error *err)
{
	enum gg_err rc = gg_db_begin(db, GG_DB_READ, err);

	for (int r = 0; rc == GG_OK && r < GG_ROLE__COUNT; r++) {
		int exists = 0;
		rc = account_exists(db, gg_role_token((enum gg_role)r), &exists, err);
		sec->missing[r] = !exists;
	}
	gg_db_rollback(db);
	for (int r = 0; rc == GG_OK && r < GG_ROLE__COUNT; r++) {
		if (!sec->missing[r])
			continue;
		gg_crypto_password(rep->accounts[r].password, GG_DEMO_PASSWORD_MAX);
		if ((rc = gg_crypto_pwhash(rep->accounts[r].password, sec->hash[r])) != GG_OK)
			rc = gg_error_set(err, rc, "cannot hash a demo account's password");
	}
	return rc;
}

/* Creates the accounts still missing; *commissioner gets the new commissioner's id (0: none made now). */
static enum gg_err load_accounts(struct gg_db *db, const struct gg_demo_options *opt, const struct scope_ids *ids,
                                 const struct account_secrets *sec, struct gg_demo_report *rep, int64_t *commissioner,
                                 struct gg_error *err)
{
	*commissioner = 0;
	for (int r = 0; r < GG_ROLE__COUNT; r++) {
		struct gg_demo_account *a = &rep->accounts[r];
		struct gg_role_grant g = {(enum gg_role)r, GG_SCOPE_NONE, 0};
		int exists = 0;
		int64_t id = 0;
		enum gg_err rc;

		gg_strlcpy(a->username, gg_role_token(g.role), sizeof(a->username));
		snprintf(a->display_name, sizeof(a->display_name), "示例·%s", gg_role_defs[r].zh);
		if (account_scopes[r].src == SCOPE_ORG) {
			g.scope_kind = GG_SCOPE_ORG;
			g.scope_id = ids->orgs[account_scopes[r].org];
		} else if (account_scopes[r].src == SCOPE_STATION) {
			g.scope_kind = GG_SCOPE_STATION;
			g.scope_id = ids->station;
		} else if (account_scopes[r].src == SCOPE_TALENT) {
			g.scope_kind = GG_SCOPE_TALENT;
			g.scope_id = ids->people[ACCOUNT_PERSON];
		}
		gg_user_roles_text(&g, 1, a->roles, sizeof(a->roles));
		if ((rc = account_exists(db, a->username, &exists, err)) != GG_OK)
			return rc;
		if (exists || !sec->missing[r]) {
			/* someone has the name: theirs, left alone; no password to show */
			memset(a->password, 0, sizeof(a->password));
			continue;
		}
		const struct gg_user_new u = {
		    .username = a->username,
		    .display_name = a->display_name,
		    .password = a->password,
		    .must_change = 0,
		    .roles = &g,
		    .nroles = 1,
		};
		if ((rc = gg_user_check(&u, opt->min_password_length, err)) != GG_OK ||
		    (rc = gg_user_insert(db, &demo_actor, &u, sec->hash[r], &id, err)) != GG_OK)
			return rc;
		a->created = 1;
		rep->accounts_created++;
		if (r == GG_ROLE_commissioner)
			*commissioner = id;
	}
	rep->naccounts = GG_ROLE__COUNT;
	return GG_OK;
}

/* Gives the invented strategic scientists the demo commissioner (talent.update each). */
static enum gg_err assign_commissioner(struct gg_db *db, const struct gg_keys *keys, int64_t commissioner,
                                       const int64_t people[NDEMO_PEOPLE], struct gg_demo_report *rep,
                                       struct gg_error *err)
{
	for (size_t k = 0; k < NDEMO_PEOPLE; k += COMMISSIONER_EVERY) {
		struct gg_talent_input in;
		enum gg_talent_outcome outcome;
		enum gg_err rc;

		memset(&in, 0, sizeof(in));
		in.set_commissioner = 1;
		in.commissioner_id = commissioner;
		if ((rc = gg_talent_write_tx(db, keys, &demo_actor, people[k], &in, 0, NULL, &outcome, err)) != GG_OK)
			return rc;
		rep->assigned += outcome == GG_TALENT_UPDATED;
	}
	return GG_OK;
}

/* ---- the recruitment list and a strategic decision ---- */

/* The state a demo recommendation is brought to, by the actions of the state machine. */
enum demo_rec_target { TO_DRAFT, TO_SUBMITTED, TO_RETURNED, TO_APPROVED, TO_REJECTED };

static const struct {
	enum demo_rec_target target;
	int own;                   /* 1: by the employer account's organisation */
	const char *justification; /* the employer's */
	const char *reason;        /* the officer's reason of the decision; NULL: none */
} demo_recs[] = {
    {TO_DRAFT, 1, "激光器件研发骨干，牵头企业红外激光模组攻关（草稿，待补充代表性成果）", NULL},
    {TO_SUBMITTED, 1, "主持企业光电芯片产线导入，带领15人团队实现量产，推荐认定", NULL},
    {TO_RETURNED, 1, "长期从事红外探测器研发，拟推荐认定", "请补充近三年代表性成果与在本单位全职工作的证明"},
    {TO_APPROVED, 0, "带领团队完成关键技术攻关并实现产业化，填补产业链短板",
     "推荐材料齐全，业绩与推荐层次相符，同意认定"},
    {TO_REJECTED, 0, "拟引进人选，推荐认定", "推荐人选尚未在光谷全职工作，不符合本年度推荐条件"},
};
#define NDEMO_RECS (sizeof(demo_recs) / sizeof(demo_recs[0]))

static const char demo_rationale[] =
    "虚构示例：海外顶尖团队整建制引进，填补光谷产业链空白；经局务会专题研究，一事一议，同意给予综合支持"
    "（演示数据）";
static const struct gg_strategic_item_input demo_package[] = {
    {"科研经费", 3000000000LL},
    {"研发平台建设", 1500000000LL},
    {"团队安居", 500000000LL},
};
#define DEMO_PACKAGE_FEN 5000000000LL /* the items' sum: 50,000,000 CNY, within the strategic cap */

/* An invented person as a recommendation needs them: employer, its kind, tier (token or ""), hired by an order. */
struct demo_pick {
	int64_t id, org_id;
	char kind[32], tier[32];
	int hired; /* recognised through a demo recruitment order (load_orders): left to that example */
};

static enum gg_err read_pick(struct gg_db *db, int64_t id, struct demo_pick *p, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	memset(p, 0, sizeof(*p));
	p->id = id;
	rc = gg_db_prepare(db,
	                   "SELECT t.org_id, t.tier, o.kind, (SELECT COUNT(*) FROM recognitions g"
	                   " WHERE g.talent_id = t.id AND g.basis = 'order')"
	                   " FROM talents t LEFT JOIN orgs o ON o.id = t.org_id WHERE t.id = ?",
	                   &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		p->org_id = gg_db_col_i64(st, 0);
		gg_strlcpy(p->tier, gg_db_col_text(st, 1) ? gg_db_col_text(st, 1) : "", sizeof(p->tier));
		gg_strlcpy(p->kind, gg_db_col_text(st, 2) ? gg_db_col_text(st, 2) : "", sizeof(p->kind));
		p->hired = gg_db_col_i64(st, 3) > 0;
	}
	gg_db_done(st);
	return rc;
}

/* A tier an approval keeps: the person's own, one a recommendation may propose. */
static int recommendable_tier(const char *tier)
{
	return strcmp(tier, "top_scientist") == 0 || strcmp(tier, "leading_talent") == 0 ||
	       strcmp(tier, "high_level") == 0;
}

/*
 * The people of demo_recs, in order, from the invented people that are
 * neither strategic scientists nor hired under the demo's recruitment
 * orders: the employer account's organisation's first ones, then people
 * of other leading enterprises and R&D units (the approved and the
 * rejected one at different employers) whose tier a recommendation may
 * propose.
 */
static enum gg_err pick_people(struct gg_db *db, const int64_t org_ids[NDEMO_ORGS], const int64_t people[NDEMO_PEOPLE],
                               struct demo_pick out[NDEMO_RECS], struct gg_error *err)
{
	int used[NDEMO_PEOPLE] = {0};

	for (size_t i = 0; i < NDEMO_RECS; i++) {
		size_t k;

		for (k = 0; k < NDEMO_PEOPLE; k++) {
			struct demo_pick p;
			enum gg_err rc;

			if (used[k])
				continue;
			if ((rc = read_pick(db, people[k], &p, err)) != GG_OK)
				return rc;
			/* not a strategic scientist (a bureau decision), nor one of the orders' examples */
			if (p.hired || strcmp(p.tier, "strategic_scientist") == 0)
				continue;
			if (demo_recs[i].own
			        ? p.org_id != org_ids[ORG_JINGLAN]
			        : (p.org_id == org_ids[ORG_JINGLAN] || !recommendable_tier(p.tier) ||
			           (strcmp(p.kind, "leading_enterprise") != 0 && strcmp(p.kind, "rd_unit") != 0) ||
			           (i > 0 && !demo_recs[i - 1].own && p.org_id == out[i - 1].org_id)))
				continue;
			used[k] = 1;
			out[i] = p;
			break;
		}
		if (k == NDEMO_PEOPLE)
			return gg_error_set(err, GG_E_INTERNAL, "the demo has no person for recommendation %zu", i + 1);
	}
	return GG_OK;
}

/* Takes the actions that bring recommendation id from draft to target. */
static enum gg_err demo_rec_act(struct gg_db *db, const struct gg_policyset *set, int64_t id, size_t i,
                                const char *tier, struct gg_error *err)
{
	static const enum gg_rec_action path[][4] = {
	    [TO_DRAFT] = {GG_REC_ACTION__COUNT},
	    [TO_SUBMITTED] = {GG_REC_SUBMIT, GG_REC_ACTION__COUNT},
	    [TO_RETURNED] = {GG_REC_SUBMIT, GG_REC_REVIEW, GG_REC_RETURN, GG_REC_ACTION__COUNT},
	    [TO_APPROVED] = {GG_REC_SUBMIT, GG_REC_REVIEW, GG_REC_APPROVE, GG_REC_ACTION__COUNT},
	    [TO_REJECTED] = {GG_REC_SUBMIT, GG_REC_REVIEW, GG_REC_REJECT, GG_REC_ACTION__COUNT},
	};
	const enum gg_rec_action *a = path[demo_recs[i].target];
	enum gg_err rc = GG_OK;

	for (size_t n = 0; rc == GG_OK && n < 4 && a[n] != GG_REC_ACTION__COUNT; n++) {
		const struct gg_rec_request rq = {
		    .action = a[n],
		    .reason = gg_rec_machine[a[n]].needs_reason ? demo_recs[i].reason : NULL,
		    .tier = a[n] == GG_REC_APPROVE ? tier : NULL,
		};
		rc = gg_recommendation_act_tx(db, set, &demo_actor, NULL, id, &rq, err);
	}
	return rc;
}

static enum gg_err load_recommendations(struct gg_db *db, const struct gg_policyset *set,
                                        const int64_t org_ids[NDEMO_ORGS], const int64_t people[NDEMO_PEOPLE],
                                        struct gg_demo_report *rep, struct gg_error *err)
{
	struct demo_pick picks[NDEMO_RECS];
	enum gg_err rc;

	if ((rc = pick_people(db, org_ids, people, picks, err)) != GG_OK)
		return rc;
	for (size_t i = 0; i < NDEMO_RECS; i++) {
		const char *tier = recommendable_tier(picks[i].tier) ? picks[i].tier : "high_level";
		const int64_t args[] = {picks[i].org_id, picks[i].id};
		const struct gg_recommendation_input in = {
		    .org_id = picks[i].org_id,
		    .talent_id = picks[i].id,
		    .set_tier = 1,
		    .proposed_tier = tier,
		    .set_justification = 1,
		    .justification = demo_recs[i].justification,
		};
		int64_t id = 0, n = 0;
		int found = 0;

		/* made once: the employer's recommendation of the person, found again, is left as it is */
		if ((rc = gg_db_query_i64(db, "SELECT COUNT(*) FROM recommendations WHERE org_id = ? AND talent_id = ?",
		                          args, 2, &n, &found, err)) != GG_OK)
			return rc;
		if (n > 0) {
			rep->recommendations.unchanged++;
			continue;
		}
		if ((rc = gg_recommendation_create_tx(db, &demo_actor, NULL, &in, &id, err)) != GG_OK ||
		    (rc = demo_rec_act(db, set, id, i, tier, err)) != GG_OK)
			return rc;
		rep->recommendations.created++;
	}
	return GG_OK;
}

/*
 * One strategic decision, on the first invented strategic scientist not
 * hired under the demo's orders (so the tier it records is the person's
 * own, and no worked example's formula plan is replaced).
 */
static enum gg_err load_strategic(struct gg_db *db, const struct gg_policyset *set, const int64_t people[NDEMO_PEOPLE],
                                  struct gg_demo_report *rep, struct gg_error *err)
{
	char today[11];
	int64_t day, id = 0, n = 0;
	int found = 0;
	enum gg_err rc;

	for (size_t k = 0; k < NDEMO_PEOPLE; k++) {
		struct demo_pick p;

		if ((rc = read_pick(db, people[k], &p, err)) != GG_OK)
			return rc;
		/* a person of the recruitment orders' examples keeps the formula plan those show */
		if (strcmp(p.tier, "strategic_scientist") != 0 || p.hired)
			continue;
		const int64_t args[] = {p.id};
		if ((rc = gg_db_query_i64(db, "SELECT COUNT(*) FROM strategic_decisions WHERE talent_id = ?", args, 1,
		                          &n, &found, err)) != GG_OK)
			return rc;
		if (n > 0) {
			rep->strategic.unchanged++;
			return GG_OK;
		}
		if ((rc = gg_clock_today(&day, err)) != GG_OK)
			return rc;
		const struct gg_strategic_input in = {
		    .talent_id = p.id,
		    .decided_on = gg_clock_day_text(day, today),
		    .rationale = demo_rationale,
		    .package_total_fen = DEMO_PACKAGE_FEN,
		    .items = demo_package,
		    .nitems = sizeof(demo_package) / sizeof(demo_package[0]),
		};
		if ((rc = gg_strategic_decide_tx(db, set, &demo_actor, &in, &id, err)) != GG_OK)
			return rc;
		rep->strategic.created++;
		return GG_OK;
	}
	return gg_error_set(err, GG_E_INTERNAL, "the demo has no invented strategic scientist");
}

/* ---- the special fund ---- */

/* DOMAIN.md's special talent fund: 3 billion CNY, appropriated once (source demo:1), before the orders' plans. */
#define DEMO_FUND_FEN 300000000000LL

static enum gg_err load_fund(struct gg_db *db, struct gg_error *err)
{
	int64_t entry = 0;

	return gg_ledger_appropriate_tx(db, &demo_actor, DEMO_FUND_FEN, "光谷人才专项资金 (3 billion CNY, DOMAIN.md)",
	                                "demo", 1, &entry, err);
}

/* ---- annual verification and one paid run ---- */

/*
 * What the demo does with each hired worked example's plan: its payee
 * account (confirmed), the first year verified and accepted, and the
 * second year left open (the employer's inbox), submitted (the officer's
 * queue) or accepted (ready for this year's run).
 */
enum demo_year2 { YEAR2_OPEN, YEAR2_SUBMITTED, YEAR2_ACCEPTED };
static const struct {
	int person;
	const char *account; /* invented */
	enum demo_year2 year2;
} demo_payees[] = {
    {1, "6222020200112345678", YEAR2_OPEN},
    {26, "6217000010023456789", YEAR2_SUBMITTED},
    {20, "6228480010034567890", YEAR2_ACCEPTED},
};
#define DEMO_PAYEE_BANK "光谷示例银行东湖支行"
#define DEMO_RUN_PERIOD 2025 /* the first years of the worked examples fall due in 2025 */

/* The active formula plan of talent, *plan (0: none), and the talent's name into name. */
static enum gg_err demo_plan_of(struct gg_db *db, int64_t talent, int64_t *plan, char *name, size_t namesz,
                                struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*plan = 0;
	rc = gg_db_prepare(db,
	                   "SELECT p.id, t.name FROM subsidy_plans p JOIN talents t ON t.id = p.talent_id"
	                   " WHERE p.talent_id = ? AND p.kind = 'formula' AND p.status = 'active'",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, talent);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		*plan = gg_db_col_i64(st, 0);
		snprintf(name, namesz, "%s", gg_db_col_text(st, 1) ? gg_db_col_text(st, 1) : "");
	}
	gg_db_done(st);
	return rc;
}

/* The verification of plan's installment of year, *id and *status (0 and -1 when none). */
static enum gg_err demo_verification(struct gg_db *db, int64_t plan, int year, int64_t *id, struct gg_error *err)
{
	const int64_t args[] = {plan, year};
	int found = 0;

	*id = 0;
	return gg_db_query_i64(db,
	                       "SELECT v.id FROM verifications v JOIN installments i ON i.id = v.installment_id"
	                       " WHERE i.plan_id = ? AND i.year = ?",
	                       args, 2, id, &found, err);
}

/* Brings verification id as far as target: submitted (the employer's answer: employed, the contract paid) or accepted.
 */
static enum gg_err demo_verify(struct gg_db *db, const struct gg_policyset *set, int64_t id,
                               const struct gg_actor *officer, struct gg_demo_report *rep, struct gg_error *err)
{
	struct gg_verification *v = NULL;
	enum gg_err rc;

	if (id == 0)
		return GG_OK;
	if ((rc = gg_verification_get(db, id, &v, err)) != GG_OK)
		return rc;
	if (v->status == GG_VER_OPEN) {
		const struct gg_verification_answer a = {
		    .employed = 1, .salary_paid_fen = v->contract_fen, .tax_record_no = "示例-个税-2025-0001"};

		rc = gg_verification_submit(db, &demo_actor, NULL, id, &a, err);
		if (rc == GG_OK)
			rep->verified.updated++;
		if (rc == GG_OK && officer != NULL) {
			rc = gg_verification_accept(db, set, officer, NULL, id, 0, err);
			if (rc == GG_OK)
				rep->verified.created++;
		}
	} else if (v->status == GG_VER_SUBMITTED && officer != NULL) {
		rc = gg_verification_accept(db, set, officer, NULL, id, 0, err);
		if (rc == GG_OK)
			rep->verified.created++;
	} else
		rep->verified.unchanged++;
	gg_verification_free(v);
	return rc;
}

/* The account username as actor (*found 0 when it does not exist). */
static enum gg_err demo_user(struct gg_db *db, const char *username, struct gg_actor *a, int *found,
                             struct gg_error *err)
{
	struct gg_user u;
	enum gg_err rc;

	*found = 0;
	rc = gg_user_get_by_name(db, username, &u, err);
	if (rc == GG_E_NOT_FOUND) {
		gg_error_init(err);
		return GG_OK;
	}
	if (rc != GG_OK)
		return rc;
	a->id = u.id;
	a->name = username; /* a static string of the caller's */
	a->request_id = NULL;
	*found = 1;
	return GG_OK;
}

/* The bank's answer to a bank file: every payment paid on day. */
static enum gg_err demo_bank_result(const struct gg_buf *file, const char *day, struct gg_buf *out,
                                    struct gg_error *err)
{
	const char *s = file->buf, *end = file->buf + file->len;
	int line = 0;

	gg_buf_reset(out);
	gg_buf_adds(out, "reference,amount,status,bank_txn_id,date,reason\n");
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s)), *comma, *last;
		size_t n;

		if (eol == NULL)
			eol = end;
		n = (size_t)(eol - s) - (eol > s && eol[-1] == '\r');
		if (line++ > 0 && n > 0) {
			/* reference,payee_name,account_no,bank,amount: the first and the last field */
			comma = memchr(s, ',', n);
			for (last = s + n; last > s && last[-1] != ','; last--)
				;
			if (comma == NULL || last <= comma)
				return gg_error_set(err, GG_E_INTERNAL, "the demo cannot read its bank file");
			gg_buf_addf(out, "%.*s,%.*s,paid,DEMO-%.*s,%s,\n", (int)(comma - s), s, (int)(s + n - last),
			            last, (int)(comma - s), s, day);
		}
		s = eol + 1;
	}
	return GG_OK;
}

/* One run of DEMO_RUN_PERIOD, proposed by the officer account, approved by finance, paid (once). */
static enum gg_err demo_run(struct gg_db *db, const struct gg_keys *keys, int64_t today, const struct gg_actor *officer,
                            const struct gg_actor *finance, struct gg_demo_report *rep, struct gg_error *err)
{
	struct gg_payrun_proposal prop;
	struct gg_payrun_result res;
	struct gg_buf file, result;
	const int64_t period = DEMO_RUN_PERIOD;
	int64_t runs = 0;
	int found = 0;
	char day[11];
	enum gg_err rc;

	if (officer == NULL || finance == NULL)
		return GG_OK; /* no accounts to make it with (--no-accounts) */
	if ((rc = gg_db_query_i64(db, "SELECT COUNT(*) FROM payment_runs WHERE period = ?", &period, 1, &runs, &found,
	                          err)) != GG_OK ||
	    runs > 0)
		return rc; /* made already */
	memset(&prop, 0, sizeof(prop));
	memset(&res, 0, sizeof(res));
	gg_buf_init(&file, 1u << 20);
	gg_buf_init(&result, 1u << 20);
	rc = gg_payrun_propose(db, officer, period, today, &prop, err);
	if (rc == GG_OK)
		rc = gg_payrun_approve(db, finance, prop.run_id, 0, err);
	if (rc == GG_OK)
		rc = gg_payrun_bank_file(db, keys, finance, prop.run_id, GG_PAYRUN_CSV, &file, err);
	if (rc == GG_OK)
		rc = demo_bank_result(&file, gg_clock_day_text(today, day), &result, err);
	if (rc == GG_OK)
		rc = gg_payrun_bank_result(db, finance, prop.run_id, "demo-bank-result.csv", result.buf, result.len,
		                           &res, err);
	if (rc == GG_OK)
		rep->paid += (int64_t)res.paid;
	gg_payrun_proposal_release(&prop);
	gg_payrun_result_release(&res);
	gg_buf_release(&file);
	gg_buf_release(&result);
	return rc;
}

/*
 * The disbursement side of the worked examples, after the load's
 * transaction (each step is a transaction of its own and is skipped when
 * done, so a second load, or one after a failure, adds nothing twice).
 */
static enum gg_err load_disbursement(struct gg_db *db, const struct gg_keys *keys, const struct gg_policyset *set,
                                     const int64_t people[NDEMO_PEOPLE], struct gg_demo_report *rep,
                                     struct gg_error *err)
{
	struct gg_actor officer, finance;
	int64_t today = 0, opened = 0;
	int has_officer = 0, has_finance = 0;
	enum gg_err rc;

	if ((rc = gg_clock_today(&today, err)) != GG_OK ||
	    (rc = demo_user(db, "bureau_officer", &officer, &has_officer, err)) != GG_OK ||
	    (rc = demo_user(db, "finance", &finance, &has_finance, err)) != GG_OK ||
	    (rc = gg_verification_open_due(db, &demo_actor, today, 60, &opened, err)) != GG_OK)
		return rc;
	rep->verifications_opened = opened;
	for (size_t k = 0; k < sizeof(demo_payees) / sizeof(demo_payees[0]); k++) {
		struct gg_payee payee;
		char name[256] = "";
		int64_t plan = 0, payee_id = 0, v1 = 0, v2 = 0;

		if ((rc = demo_plan_of(db, people[demo_payees[k].person], &plan, name, sizeof(name), err)) != GG_OK)
			return rc;
		if (plan == 0)
			continue;
		rc = gg_payee_get(db, plan, &payee, err);
		if (rc == GG_E_NOT_FOUND) {
			gg_error_init(err);
			if ((rc = gg_payee_set(db, keys, &demo_actor, plan, name, DEMO_PAYEE_BANK,
			                       demo_payees[k].account, &payee_id, err)) != GG_OK ||
			    (rc = gg_payee_confirm(db, &demo_actor, plan, err)) != GG_OK)
				return rc;
			rep->payees++;
		} else if (rc != GG_OK)
			return rc;
		if ((rc = demo_verification(db, plan, 1, &v1, err)) != GG_OK ||
		    (rc = demo_verify(db, set, v1, has_officer ? &officer : NULL, rep, err)) != GG_OK ||
		    (rc = demo_verification(db, plan, 2, &v2, err)) != GG_OK)
			return rc;
		if (demo_payees[k].year2 != YEAR2_OPEN &&
		    (rc = demo_verify(db, set, v2,
		                      demo_payees[k].year2 == YEAR2_ACCEPTED && has_officer ? &officer : NULL, rep,
		                      err)) != GG_OK)
			return rc;
	}
	return demo_run(db, keys, today, has_officer ? &officer : NULL, has_finance ? &finance : NULL, rep, err);
}

/* ---- the digital talent card ---- */

/*
 * One demo card in each state, on invented people: the talent account's
 * person holds an active card of the demo bank (the bank account's queue);
 * the others show every other state. Each card goes through the real
 * actions (card.c), by the bank account for the bank's steps and the
 * officer for the bureau's; a person who already holds a card is left as
 * it is, so a second demo writes nothing.
 */
enum demo_card_end {
	DC_APPLIED,
	DC_APPROVED,
	DC_ISSUING,
	DC_ACTIVE,
	DC_REJECTED,
	DC_SUSPENDED,
	DC_REVOKED,
	DC_EXPIRED
};

static const struct {
	enum demo_card_end end;
	int eligible; /* 1: a high-level person (approved at once); 0: one the officer must decide on */
	int bank;     /* a demo organisation of kind bank */
	const char *reason;
} demo_cards[] = {
    {DC_ACTIVE, 1, ORG_BANK_DONGHU, NULL}, /* the talent account's person (ACCOUNT_PERSON) */
    {DC_APPLIED, 0, ORG_BANK_JIANGCHENG, NULL},
    {DC_APPROVED, 1, ORG_BANK_DONGHU, NULL},
    {DC_ISSUING, 1, ORG_BANK_DONGHU, NULL},
    {DC_REJECTED, 1, ORG_BANK_JIANGCHENG, "客户身份核验未通过，请核对证件后重新申请（演示）"},
    {DC_SUSPENDED, 1, ORG_BANK_DONGHU, "本人报告手机遗失，暂停使用（演示）"},
    {DC_REVOKED, 1, ORG_BANK_JIANGCHENG, "已调离光谷，收回人才卡（演示）"},
    {DC_EXPIRED, 1, ORG_BANK_DONGHU, NULL},
};

/* The tier of talent id ("" when none) and whether it already holds any card. */
static enum gg_err card_person(struct gg_db *db, int64_t id, char tier[32], int *has_card, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	tier[0] = '\0';
	*has_card = 0;
	rc = gg_db_prepare(db,
	                   "SELECT COALESCE(tier, ''), EXISTS (SELECT 1 FROM cards WHERE talent_id = t.id) "
	                   "FROM talents t WHERE id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		gg_db_col_copy(st, 0, tier, 32);
		*has_card = (int)gg_db_col_i64(st, 1);
	}
	gg_db_done(st);
	return rc;
}

static int high_level_tier(const char *tier)
{
	static const char *const tiers[] = {"strategic_scientist", "top_scientist", "leading_talent", "high_level"};

	for (size_t i = 0; i < sizeof tiers / sizeof tiers[0]; i++)
		if (strcmp(tier, tiers[i]) == 0)
			return 1;
	return 0;
}

/* Takes the demo card id through its actions to its end state. */
static enum gg_err demo_card_steps(struct gg_db *db, int64_t id, size_t k, const struct gg_actor *officer,
                                   const struct gg_actor *bank, int64_t today, struct gg_error *err)
{
	enum demo_card_end end = demo_cards[k].end;
	struct gg_card_act act = {.valid_years = 3};
	char day[11];
	enum gg_err rc = GG_OK;

	if (end == DC_APPLIED || end == DC_APPROVED)
		return GG_OK;
	if (end == DC_REJECTED) {
		act.reason = demo_cards[k].reason;
		return gg_card_act(db, bank, NULL, id, GG_CARDA_BANK_REJECT, &act, err);
	}
	if ((rc = gg_card_act(db, bank, NULL, id, GG_CARDA_ACCEPT, &act, err)) != GG_OK || end == DC_ISSUING)
		return rc;
	act.debit_last4 = end == DC_ACTIVE ? "3551" : "6208";
	act.issued_on = gg_clock_day_text(today, day);
	if ((rc = gg_card_act(db, bank, NULL, id, GG_CARDA_ISSUE, &act, err)) != GG_OK)
		return rc;
	act.reason = demo_cards[k].reason;
	if (end == DC_SUSPENDED)
		return gg_card_act(db, officer, NULL, id, GG_CARDA_SUSPEND, &act, err);
	if (end == DC_REVOKED)
		return gg_card_act(db, officer, NULL, id, GG_CARDA_REVOKE, &act, err);
	if (end == DC_EXPIRED) {
		/* an earlier card: its three years moved back to end today, then the expiry sweep, as every hour */
		int64_t expired = 0, y;
		int m, d;
		char from[32];

		gg_clock_civil_from_days(today, &y, &m, &d);
		snprintf(from, sizeof from, "%04lld-%02d-%02d", (long long)(y - 3), m, d == 29 && m == 2 ? 28 : d);
		rc = gg_db_begin(db, GG_DB_WRITE, err);
		if (rc == GG_OK) {
			struct gg_stmt *st = NULL;
			int row = 0;

			rc = gg_db_prepare(db, "UPDATE cards SET valid_from = ?, valid_to = ? WHERE id = ?", &st, err);
			if (rc == GG_OK)
				rc = gg_db_bind_text(st, 1, from);
			if (rc == GG_OK)
				rc = gg_db_bind_text(st, 2, day);
			if (rc == GG_OK)
				rc = gg_db_bind_i64(st, 3, id);
			if (rc == GG_OK)
				rc = gg_db_step(st, &row, err);
			gg_db_done(st);
		}
		rc = rc == GG_OK ? gg_db_commit(db, err) : (gg_db_rollback(db), rc);
		if (rc == GG_OK)
			rc = gg_card_expire(db, &demo_actor, today, &expired, err);
	}
	return rc;
}

static enum gg_err load_cards(struct gg_db *db, const struct gg_policyset *set, const int64_t org_ids[NDEMO_ORGS],
                              const int64_t people[NDEMO_PEOPLE], struct gg_demo_report *rep, struct gg_error *err)
{
	struct gg_actor officer, bank;
	int has_officer = 0, has_bank = 0;
	int64_t today = 0;
	size_t next = 0; /* the next person to look at for the other cards */
	enum gg_err rc;

	if ((rc = gg_clock_today(&today, err)) != GG_OK ||
	    (rc = demo_user(db, "bureau_officer", &officer, &has_officer, err)) != GG_OK ||
	    (rc = demo_user(db, "bank", &bank, &has_bank, err)) != GG_OK)
		return rc;
	for (size_t k = 0; k < sizeof demo_cards / sizeof demo_cards[0]; k++) {
		struct gg_card_notice notice;
		struct gg_card_apply in;
		char tier[32];
		int has_card = 0;
		int64_t person = 0, id = 0;

		if (k == 0) {
			person = people[ACCOUNT_PERSON];
			if ((rc = card_person(db, person, tier, &has_card, err)) != GG_OK)
				return rc;
		} else {
			/* the next person of the wanted kind, never the account's person */
			for (; next < NDEMO_PEOPLE && person == 0; next++) {
				if (next == ACCOUNT_PERSON)
					continue;
				if ((rc = card_person(db, people[next], tier, &has_card, err)) != GG_OK)
					return rc;
				if (high_level_tier(tier) == demo_cards[k].eligible)
					person = people[next];
			}
			if (person == 0)
				break;
		}
		if (has_card)
			continue;
		in = (struct gg_card_apply){person, org_ids[demo_cards[k].bank], 1, notice.hash};
		if ((rc = gg_card_notice(db, in.bank_id, &notice, err)) != GG_OK ||
		    (rc = gg_card_apply(db, set, &demo_actor, NULL, &in, &id, err)) != GG_OK ||
		    (rc = demo_card_steps(db, id, k, has_officer ? &officer : &demo_actor,
		                          has_bank ? &bank : &demo_actor, today, err)) != GG_OK)
			return rc;
		rep->cards++;
	}
	return GG_OK;
}

/* ---- the benefits of the talent card (benefit.c, loan.c) ---- */

/* The demo's benefit providers (organisations of kind service_provider), found by name. */
enum { PROV_XIEHE, PROV_AIRPORT, PROV_SCHOOL, PROV_MULAN, PROV_APARTMENTS, PROV_GOV, PROV_ENTRY_EXIT, NDEMO_PROVIDERS };

static const char *const demo_providers[NDEMO_PROVIDERS] = {
    [PROV_XIEHE] = "武汉协和医院国际医疗部",
    [PROV_AIRPORT] = "天河机场贵宾服务",
    [PROV_SCHOOL] = "光谷实验小学",
    [PROV_MULAN] = "木兰山度假区",
    [PROV_APARTMENTS] = "光谷人才公寓",
    [PROV_GOV] = "东湖高新区政务服务中心",
    [PROV_ENTRY_EXIT] = "武汉市出入境服务中心光谷分中心",
};

/* Who provides a demo item: a demo provider, or one of the demo's organisations (-1 - ORG_x). */
#define BY_ORG(o) (-1 - (o))

static const struct demo_benefit {
	const char *category;
	const char *name, *name_en, *description;
	int provider; /* PROV_x, or BY_ORG(ORG_x) */
	const char *tiers[4];
	int quota; /* 0: no limit */
	int booking;
} demo_benefit_items[] = {
    {"cobranded_card",
     "3551光谷人才联名借记卡",
     "3551 Optics Valley talent co-branded debit card",
     "免年费、免跨行取款手续费，专属客户经理。",
     BY_ORG(ORG_BANK_DONGHU),
     {"strategic_scientist", "top_scientist", "leading_talent", "high_level"},
     0,
     0},
    {"government_services",
     "政务服务专窗优先办理",
     "Priority window for government services",
     "人才卡持卡人在专窗优先办理落户、社保、公积金等事项。",
     PROV_GOV,
     {"strategic_scientist", "top_scientist", "leading_talent", "high_level"},
     12,
     0},
    {"medical_services",
     "年度健康体检",
     "Annual health check-up",
     "协和国际医疗部承检的全面健康体检，每年一次，需预约。",
     BY_ORG(ORG_TALENT_SERVICE),
     {"strategic_scientist", "top_scientist", "leading_talent", "high_level"},
     1,
     1},
    {"medical_services",
     "专家门诊预约",
     "Expert outpatient appointment",
     "知名专家门诊绿色通道，需预约。",
     PROV_XIEHE,
     {"strategic_scientist", "top_scientist", "leading_talent"},
     6,
     1},
    {"children_schooling",
     "子女入学协调",
     "School place for children",
     "协调子女就近入读光谷实验小学。",
     PROV_SCHOOL,
     {"strategic_scientist", "top_scientist", "leading_talent", "high_level"},
     1,
     0},
    {"leisure_holidays",
     "机场贵宾通道",
     "Airport VIP passage",
     "天河机场贵宾安检通道与休息室。",
     PROV_AIRPORT,
     {"strategic_scientist", "top_scientist", "leading_talent"},
     6,
     0},
    {"leisure_holidays",
     "木兰山度假休养",
     "Mulan Mountain retreat",
     "木兰山度假区两晚休养，需预约。",
     PROV_MULAN,
     {"strategic_scientist", "top_scientist"},
     2,
     1},
    {"financing",
     "人才贷款绿色通道",
     "Talent loan fast track",
     "凭人才卡申请人才贷款、企业贷款，专人对接。",
     BY_ORG(ORG_BANK_JIANGCHENG),
     {"strategic_scientist", "top_scientist", "leading_talent", "high_level"},
     0,
     0},
    {"housing",
     "人才公寓优先配租",
     "Priority lease of a talent flat",
     "光谷人才公寓优先配租，租金优惠。",
     PROV_APARTMENTS,
     {"strategic_scientist", "top_scientist", "leading_talent", "high_level"},
     1,
     0},
    {"spouse_employment",
     "配偶就业推荐",
     "Job referrals for spouses",
     "为人才配偶推荐光谷企事业单位岗位。",
     BY_ORG(ORG_TALENT_SERVICE),
     {"strategic_scientist", "top_scientist", "leading_talent", "high_level"},
     3,
     0},
    {"residence_entry_exit",
     "出入境证件加急办理",
     "Expedited entry-exit documents",
     "外籍人才及家属居留许可、签证加急办理。",
     PROV_ENTRY_EXIT,
     {"strategic_scientist", "top_scientist", "leading_talent", "high_level"},
     4,
     0},
};
#define NDEMO_BENEFITS (sizeof(demo_benefit_items) / sizeof(demo_benefit_items[0]))

/* The providers, created when missing (org.create each); ids into ids. */
static enum gg_err demo_provider_orgs(struct gg_db *db, const struct gg_keys *keys, int64_t ids[NDEMO_PROVIDERS],
                                      struct gg_error *err)
{
	for (size_t i = 0; i < NDEMO_PROVIDERS; i++) {
		struct gg_org_input in;
		int found = 0;
		enum gg_err rc;

		if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
			return rc;
		rc = gg_org_find_by_name(db, demo_providers[i], &ids[i], &found, err);
		gg_db_rollback(db);
		if (rc != GG_OK)
			return rc;
		if (found)
			continue;
		memset(&in, 0, sizeof in);
		in.set_name = in.set_kind = in.set_park = 1;
		in.name = demo_providers[i];
		in.kind = "service_provider";
		in.park = "光谷中心城";
		if ((rc = gg_org_create(db, keys, &demo_actor, &in, &ids[i], err)) != GG_OK)
			return rc;
	}
	return GG_OK;
}

/* Item d of provider_id: found by provider and name, else created (benefit.item_create). */
static enum gg_err demo_benefit_item(struct gg_db *db, const struct demo_benefit *d, int64_t provider_id, int64_t *id,
                                     struct gg_error *err)
{
	struct gg_benefit_item_in in;
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*id = 0;
	rc = gg_db_prepare(db, "SELECT id FROM benefit_items WHERE provider_id = ? AND name = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, provider_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, d->name);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		*id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	if (rc != GG_OK || *id)
		return rc;
	memset(&in, 0, sizeof in);
	in.category = d->category;
	in.name = d->name;
	in.name_en = d->name_en;
	in.description = d->description;
	in.provider_id = provider_id;
	for (in.ntiers = 0; in.ntiers < 4 && d->tiers[in.ntiers]; in.ntiers++)
		in.tiers[in.ntiers] = d->tiers[in.ntiers];
	in.annual_quota = d->quota;
	in.needs_booking = d->booking;
	in.active = 1;
	return gg_benefit_item_create(db, &demo_actor, &in, id, err);
}

/* Slots of a new item that needs booking: the coming two weeks' working days, 09:00 and 14:00 local, 5 places. */
static enum gg_err demo_benefit_slots(struct gg_db *db, int64_t item, int64_t today, struct gg_error *err)
{
	const int64_t args[1] = {item};
	int64_t have = 0, slot = 0;
	int found = 0;
	enum gg_err rc;

	if ((rc = gg_db_query_i64(db, "SELECT count(*) FROM benefit_slots WHERE item_id = ?", args, 1, &have, &found,
	                          err)) != GG_OK ||
	    have > 0)
		return rc;
	for (int64_t d = 1; rc == GG_OK && d <= 14; d++) {
		int64_t start = 0;

		/* (day + 4) % 7 is the weekday, 0 Sunday (1970-01-01 was a Thursday): no weekend slots */
		if ((today + d + 4) % 7 == 6 || (today + d + 4) % 7 == 0)
			continue;
		if (gg_clock_day_start(gg_clock_zone(), today + d, &start) != 0)
			start = (today + d) * 86400;
		rc = gg_benefit_slot_create(db, &demo_actor, item, start + 9 * 3600, start + 10 * 3600, 5, &slot, err);
		if (rc == GG_OK)
			rc = gg_benefit_slot_create(db, &demo_actor, item, start + 14 * 3600, start + 15 * 3600, 5,
			                            &slot, err);
	}
	return rc;
}

/*
 * On an active card (the demo talent account's when it has one, else the
 * first), once each: a booking of the health check-up, a redemption of the
 * first item without booking that its tier includes, a talent loan request.
 * Nothing when there is no active card (card.c's demo makes them).
 */
static enum gg_err demo_benefit_uses(struct gg_db *db, const struct gg_keys *keys, const int64_t *items,
                                     struct gg_error *err)
{
	struct gg_benefit_card card;
	int64_t card_id = 0, n = 0, id = 0, arg[1];
	int found = 0;
	enum gg_err rc;

	rc = gg_db_query_i64(
	    db,
	    "SELECT c.id FROM cards c WHERE c.status = 'active' ORDER BY c.talent_id IN (SELECT r.scope_id"
	    " FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = 'talent' AND"
	    " r.scope_kind = 'talent') DESC, c.id LIMIT 1",
	    NULL, 0, &card_id, &found, err);
	if (rc != GG_OK || !found)
		return rc;
	if ((rc = gg_benefit_card_get(db, card_id, &card, err)) != GG_OK)
		return rc;
	arg[0] = card_id;
	/* a booking of the check-up (items[2]), in the first slot with room */
	if ((rc = gg_db_query_i64(db, "SELECT count(*) FROM benefit_bookings WHERE card_id = ?", arg, 1, &n, &found,
	                          err)) != GG_OK)
		return rc;
	if (n == 0) {
		const int64_t a2[2] = {items[2], gg_clock_now()};
		int64_t slot = 0;

		if ((rc =
		         gg_db_query_i64(db,
		                         "SELECT id FROM benefit_slots WHERE item_id = ? AND starts_at > ? AND booked <"
		                         " capacity ORDER BY starts_at LIMIT 1",
		                         a2, 2, &slot, &found, err)) != GG_OK)
			return rc;
		if (found &&
		    (rc = gg_benefit_book(db, &demo_actor, NULL, card_id, slot, items[2], &id, err)) != GG_OK &&
		    rc != GG_E_TIER_EXCLUDED && rc != GG_E_QUOTA_EXCEEDED)
			return rc;
		gg_error_init(err);
	}
	/* a redemption at a counter */
	if ((rc = gg_db_query_i64(db, "SELECT count(*) FROM benefit_redemptions WHERE card_id = ?", arg, 1, &n, &found,
	                          err)) != GG_OK)
		return rc;
	for (size_t i = 0; n == 0 && i < NDEMO_BENEFITS; i++) {
		struct gg_cardtoken_minted m;
		struct gg_benefit_redeem_in in = {.item_id = items[i], .note = "示例：柜台核验后使用"};
		int ok = 0;

		if (demo_benefit_items[i].booking)
			continue;
		for (size_t t = 0; t < 4 && demo_benefit_items[i].tiers[t]; t++)
			ok |= strcmp(demo_benefit_items[i].tiers[t], card.tier) == 0;
		if (!ok)
			continue;
		/* the first signing key, made by the demo (a mint would make it as the system) */
		if ((rc = gg_db_query_i64(db, "SELECT count(*) FROM card_keys", NULL, 0, &n, &found, err)) != GG_OK)
			return rc;
		if (n == 0) {
			char kid[GG_CARDTOKEN_KID_MAX];

			if ((rc = gg_cardkey_rotate(db, keys, &demo_actor, kid, err)) != GG_OK)
				return rc;
		}
		n = 0;
		if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
			return rc;
		rc = gg_cardtoken_mint(db, keys, card_id, card.tier, gg_clock_now(), 300, &m, err);
		if (rc == GG_OK)
			rc = gg_db_commit(db, err);
		else
			gg_db_rollback(db);
		if (rc != GG_OK)
			return rc;
		in.token = m.token;
		if ((rc = gg_benefit_redeem(db, &demo_actor, NULL, &in, &id, NULL, err)) != GG_OK)
			return rc;
		break;
	}
	/* a talent loan request in the bank's queue */
	if ((rc = gg_db_query_i64(db, "SELECT count(*) FROM loan_requests WHERE card_id = ?", arg, 1, &n, &found,
	                          err)) != GG_OK)
		return rc;
	if (n == 0) {
		const struct gg_loan_in in = {.card_id = card_id,
		                              .kind = "talent_loan",
		                              .amount_fen = 50000000,
		                              .term_months = 60,
		                              .purpose = "购买光谷人才安居房首付"};

		rc = gg_loan_request(db, &demo_actor, NULL, &in, &id, err);
	}
	return rc;
}

/*
 * The benefit catalogue: the providers, items in all nine categories with
 * their Chinese and English names, slots for the items that need booking,
 * and on an active card a booking, a redemption and a loan request. Each
 * write is its own transaction (the domain's); a second load finds
 * everything and writes nothing.
 */
static enum gg_err demo_benefits(struct gg_db *db, const struct gg_keys *keys, const int64_t org_ids[NDEMO_ORGS],
                                 struct gg_error *err)
{
	int64_t provs[NDEMO_PROVIDERS] = {0}, items[NDEMO_BENEFITS] = {0}, today = 0;
	enum gg_err rc;

	if ((rc = gg_clock_today(&today, err)) != GG_OK || (rc = demo_provider_orgs(db, keys, provs, err)) != GG_OK)
		return rc;
	for (size_t i = 0; i < NDEMO_BENEFITS; i++) {
		const struct demo_benefit *d = &demo_benefit_items[i];
		int64_t provider = d->provider >= 0 ? provs[d->provider] : org_ids[-1 - d->provider];

		if ((rc = demo_benefit_item(db, d, provider, &items[i], err)) != GG_OK)
			return rc;
		if (d->booking && (rc = demo_benefit_slots(db, items[i], today, err)) != GG_OK)
			return rc;
	}
	return demo_benefit_uses(db, keys, items, err);
}

enum gg_err gg_demo_load(struct gg_db *db, const struct gg_keys *keys, const struct gg_demo_options *opt,
                         struct gg_demo_report *rep, struct gg_error *err)
{
	int64_t org_ids[NDEMO_ORGS] = {0}, people[NDEMO_PEOPLE] = {0}, commissioner = 0;
	int person_orgs[NDEMO_PEOPLE] = {0};
	const struct gg_policyset *policies = opt != NULL ? opt->policies : NULL;
	struct account_secrets *sec = NULL;
	struct scope_ids ids = {org_ids, people, 0};
	int with_accounts = opt != NULL && opt->accounts;
	enum gg_err rc;

	memset(rep, 0, sizeof(*rep));
	if (with_accounts) {
		sec = calloc(1, sizeof(*sec));
		if (sec == NULL)
			return gg_error_set(err, GG_E_NOMEM, NULL);
		if ((rc = make_secrets(db, rep, sec, err)) != GG_OK)
			goto out;
	}
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	if ((rc = load_orgs(db, keys, org_ids, rep, err)) != GG_OK ||
	    (rc = load_reals(db, keys, org_ids, rep, err)) != GG_OK ||
	    (rc = load_people(db, keys, org_ids, people, person_orgs, rep, err)) != GG_OK ||
	    (rc = load_lookalike(db, keys, org_ids, rep, err)) != GG_OK ||
	    (rc = load_station(db, &ids.station, rep, err)) != GG_OK ||
	    (with_accounts && (rc = load_accounts(db, opt, &ids, sec, rep, &commissioner, err)) != GG_OK) ||
	    (commissioner != 0 && (rc = assign_commissioner(db, keys, commissioner, people, rep, err)) != GG_OK) ||
	    (rc = load_fund(db, err)) != GG_OK ||
	    (policies != NULL && (rc = load_orders(db, policies, org_ids, people, person_orgs, rep, err)) != GG_OK) ||
	    (policies != NULL && (rc = load_recommendations(db, policies, org_ids, people, rep, err)) != GG_OK) ||
	    (policies != NULL && (rc = load_strategic(db, policies, people, rep, err)) != GG_OK)) {
		gg_db_rollback(db);
		goto out;
	}
	rc = gg_db_commit(db, err);
	if (rc == GG_OK && policies != NULL)
		rc = load_disbursement(db, keys, policies, people, rep, err);
	if (rc == GG_OK && policies != NULL)
		rc = load_cards(db, policies, org_ids, people, rep, err);
	if (rc == GG_OK)
		rc = demo_benefits(db, keys, org_ids, err);
out:
	free(sec);
	if (rc != GG_OK) {
		gg_demo_report_wipe(rep);
		memset(rep, 0, sizeof(*rep));
	}
	return rc;
}
