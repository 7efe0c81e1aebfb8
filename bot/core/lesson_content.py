"""What the tutor teaches about each of the 40 modern jamo, written for English speakers.

Every letter has a :class:`LetterLesson`: how it sounds, a shape-based mnemonic, a common example
word, and Korean text for a speech engine. :data:`CONFUSABLE_PAIRS` says how to tell apart letters
that handwriting readers (and learners) mix up, and :data:`MINIMAL_PAIRS` holds real words that
differ by one letter, for listening drills. ``docs/teaching.md`` maps each fact to its source.

Sources:

- National Institute of Korean Language (국립국어원), 표준 발음법 (Standard Pronunciation, part of
  the 1988 표준어 규정): art. 4 (monophthongs, incl. ㅐ ≠ ㅔ; 붙임: ㅚ, ㅟ may be diphthongs),
  art. 5 (diphthongs; 다만 1: 져/쪄/쳐 → [저/쩌/처]; 다만 2: ㅖ → [ㅔ] allowed except in 예, 례;
  다만 3: ㅢ after a consonant → [ㅣ], 희망 [히망]; 다만 4: non-initial 의 → [이], particle 의 →
  [에] allowed), art. 8 (only ㄱㄴㄷㄹㅁㅂㅇ are pronounced at the end of a syllable), art. 9
  (ㄲㅋ → [ㄱ], ㅅㅆㅈㅊㅌ → [ㄷ], ㅍ → [ㅂ] there), art. 12 (ㅎ: 좋다 [조타], 좋아 [조아]), art. 13
  (a final consonant moves into a following syllable that starts with ㅇ).
- Revised Romanization of Korean (국어의 로마자 표기법, 2000): the romanizations.
- Hunminjeongeum Haerye (훈민정음 해례본, 1446), chapter 制字解 (design of the letters), public
  domain: consonants drawn after the speech organs, an added stroke for a stronger sound, doubled
  letters, vowels from heaven (ㆍ), earth (ㅡ) and human (ㅣ).
- Sohn Ho-min, *The Korean Language* (Cambridge University Press, 1999): the plain / aspirated /
  tense series, allophones (voicing between vowels, the ㄹ flap, ㅅ before ㅣ), the ㅐ/ㅔ merger and
  the [we] pronunciation of ㅚ ㅙ ㅞ in today's Seoul speech.
- Wikipedia, "Korean phonology" (CC BY-SA), as a readable summary of the above.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    """A word that contains the letter: Hangul, Revised Romanization, English meaning."""

    word: str
    romanization: str
    meaning: str


@dataclass(frozen=True)
class LetterLesson:
    """What the tutor says about one letter.

    ``sound``: how it sounds, for an English speaker. ``mnemonic``: a picture to remember the
    shape by. ``spoken``: Korean text a speech engine reads to play the sound; ``syllable`` is its
    first syllable, for reading drills.
    """

    jamo: str
    sound: str
    mnemonic: str
    example: Example
    spoken: str
    syllable: str


def _lesson(
    jamo: str, sound: str, mnemonic: str, example: tuple[str, str, str], spoken: str
) -> LetterLesson:
    return LetterLesson(jamo, sound, mnemonic, Example(*example), spoken, spoken[0])


_K_SERIES = "Compare 개다 gaeda (to fold) / 캐다 kaeda (to dig up) / 깨다 kkaeda (to wake up)."
_T_SERIES = "Compare 달 dal (moon) / 탈 tal (mask) / 딸 ttal (daughter)."
_P_SERIES = "Compare 불 bul (fire) / 풀 pul (grass) / 뿔 ppul (horn)."
_CH_SERIES = "Compare 자다 jada (to sleep) / 차다 chada (to kick) / 짜다 jjada (to be salty)."
_S_SERIES = "Compare 사다 sada (to buy) / 싸다 ssada (to be cheap)."

_LESSONS: tuple[LetterLesson, ...] = (
    # Consonants, in dictionary order.
    _lesson(
        "ㄱ",
        "Plain g/k, lightly breathed: at the start of a word between g and a soft k, a clear g "
        "between vowels (고기 gogi), an unreleased k at the end of a syllable (국 guk). "
        + _K_SERIES,
        "The root of the tongue rising to block the throat, seen from the side (Hunminjeongeum).",
        ("고기", "gogi", "meat"),
        "가",
    ),
    _lesson(
        "ㄲ",
        "Tense kk: tighten the throat and say k with no puff of air, like the k in 'sky'. At the "
        "end of a syllable it is just an unreleased k (밖 [박] bak). " + _K_SERIES,
        "Two ㄱ side by side: a doubled letter is a tense sound — squeeze, no puff.",
        ("꽃", "kkot", "flower"),
        "까",
    ),
    _lesson(
        "ㄴ",
        "n as in 'no', at the start or the end of a syllable.",
        "The tongue tip touching the ridge behind the upper teeth (Hunminjeongeum). Say 'n' and "
        "feel it.",
        ("나무", "namu", "tree"),
        "나",
    ),
    _lesson(
        "ㄷ",
        "Plain d/t, lightly breathed: at the start of a word between d and a soft t, a clear d "
        "between vowels (바다 bada), an unreleased t at the end of a syllable (곧 got). "
        + _T_SERIES,
        "ㄴ with a lid: same tongue place as n, and the added stroke makes the sound stronger.",
        ("다리", "dari", "leg"),
        "다",
    ),
    _lesson(
        "ㄸ",
        "Tense tt: tighten the throat and say t with no puff of air, like the t in 'stop'. "
        "Never written at the end of a syllable. " + _T_SERIES,
        "Two ㄷ side by side: a doubled letter is a tense sound — squeeze, no puff.",
        ("딸기", "ttalgi", "strawberry"),
        "따",
    ),
    _lesson(
        "ㄹ",
        "Between r and l: between vowels a quick tap of the tongue, like the tt in American "
        "'butter' (사랑 sarang); at the end of a syllable an l (물 mul); ㄹㄹ is a long l "
        "(빨리 ppalli).",
        "Another tongue letter, like ㄴ, but drawn winding: picture the tongue flicking between "
        "r and l.",
        ("사랑", "sarang", "love"),
        "라. 알",
    ),
    _lesson(
        "ㅁ",
        "m as in 'mom', at the start or the end of a syllable.",
        "The mouth: a closed square, like lips pressed shut for 'm' (Hunminjeongeum).",
        ("엄마", "eomma", "mom"),
        "마",
    ),
    _lesson(
        "ㅂ",
        "Plain b/p, lightly breathed: at the start of a word between b and a soft p, a clear b "
        "between vowels (두부 dubu), an unreleased p at the end of a syllable (밥 bap). "
        + _P_SERIES,
        "The mouth ㅁ with its sides drawn up: an added stroke makes the sound stronger "
        "(ㅁ→ㅂ→ㅍ).",
        ("바다", "bada", "sea"),
        "바",
    ),
    _lesson(
        "ㅃ",
        "Tense pp: tighten the throat and say p with no puff of air, like the p in 'spin'. "
        "Never written at the end of a syllable. " + _P_SERIES,
        "Two ㅂ side by side: a doubled letter is a tense sound — lips pressed hard, no puff.",
        ("빵", "ppang", "bread"),
        "빠",
    ),
    _lesson(
        "ㅅ",
        "Plain s, with a little breath; before ㅣ and y-vowels it sounds like 'sh' (시 'she'). At "
        "the end of a syllable an unreleased t (옷 [옫] ot). " + _S_SERIES,
        "A tooth (Hunminjeongeum): the air hisses past it, 's'.",
        ("사과", "sagwa", "apple"),
        "사",
    ),
    _lesson(
        "ㅆ",
        "Tense ss: a sharp s with a tight throat and no breathiness; before ㅣ a sharp 'sh' "
        "(씨). At the end of a syllable an unreleased t (있다 [읻따] itda). " + _S_SERIES,
        "Two teeth ㅅㅅ: a doubled letter is a tense sound, a sharper hiss.",
        ("쌀", "ssal", "uncooked rice"),
        "싸",
    ),
    _lesson(
        "ㅇ",
        "Silent at the start of a syllable, where it only holds the place (아 = a); 'ng' as in "
        "'sing' at the end (강 gang, river).",
        "The round opening of the throat (Hunminjeongeum): an empty circle, no sound at the start, "
        "'ng' ringing at the end.",
        ("영어", "yeongeo", "English (language)"),
        "아. 앙",
    ),
    _lesson(
        "ㅈ",
        "Plain j/ch, lightly breathed: at the start of a word between j and a soft ch, a clear j "
        "between vowels (바지 baji), an unreleased t at the end of a syllable (낮 [낟] nat). "
        + _CH_SERIES,
        "The tooth ㅅ with a line on top: an added stroke makes the sound stronger (ㅅ→ㅈ→ㅊ).",
        ("지도", "jido", "map"),
        "자",
    ),
    _lesson(
        "ㅉ",
        "Tense jj: tighten the throat and say a hard j/ch with no puff of air. Never written at "
        "the end of a syllable. " + _CH_SERIES,
        "Two ㅈ side by side: a doubled letter is a tense sound — squeeze, no puff.",
        ("찌개", "jjigae", "stew"),
        "짜",
    ),
    _lesson(
        "ㅊ",
        "Aspirated ch: like 'ch' in 'church' with a strong puff of air. At the end of a syllable "
        "an unreleased t (꽃 [꼳] kkot). " + _CH_SERIES,
        "ㅈ with one more stroke on top: the extra stroke is the puff of air (ㅅ→ㅈ→ㅊ).",
        ("친구", "chingu", "friend"),
        "차",
    ),
    _lesson(
        "ㅋ",
        "Aspirated k: like 'k' in 'kite' with a strong puff of air. At the end of a syllable an "
        "unreleased k (부엌 [부억] bueok). " + _K_SERIES,
        "ㄱ with an extra stroke: the added line is a puff of air (ㄱ→ㅋ).",
        ("코", "ko", "nose"),
        "카",
    ),
    _lesson(
        "ㅌ",
        "Aspirated t: like 't' in 'top' with a strong puff of air. At the end of a syllable an "
        "unreleased t (밭 [받] bat). " + _T_SERIES,
        "ㄷ with an extra stroke: the added line is a puff of air (ㄴ→ㄷ→ㅌ).",
        ("토끼", "tokki", "rabbit"),
        "타",
    ),
    _lesson(
        "ㅍ",
        "Aspirated p: like 'p' in 'pie' with a strong puff of air. At the end of a syllable an "
        "unreleased p (앞 [압] ap). " + _P_SERIES,
        "ㅂ made stronger once more: more strokes, more air (ㅁ→ㅂ→ㅍ).",
        ("포도", "podo", "grapes"),
        "파",
    ),
    _lesson(
        "ㅎ",
        "h as in 'hat'. It merges with a neighbouring ㄱ ㄷ ㅂ ㅈ into ㅋ ㅌ ㅍ ㅊ "
        "(좋다 [조타] jota), and a final ㅎ before a vowel is silent (좋아 [조아] joa).",
        "The throat circle ㅇ with strokes on top: breath coming out of the throat, 'h'.",
        ("하나", "hana", "one"),
        "하",
    ),
    # Vowels, in dictionary order.
    _lesson(
        "ㅏ",
        "a as in 'father'.",
        "A person ㅣ with heaven's dot (now a short stroke) outside, on the right: the mouth "
        "opens wide, 'ah'.",
        ("아빠", "appa", "dad"),
        "아",
    ),
    _lesson(
        "ㅐ",
        "e as in 'bed'. In today's Seoul speech ㅐ and ㅔ sound the same; only the spelling tells "
        "them apart (개 dog, 게 crab).",
        "ㅏ + ㅣ written together: the short stroke sits between the two tall lines, pointing "
        "right.",
        ("개", "gae", "dog"),
        "애",
    ),
    _lesson(
        "ㅑ",
        "ya as in 'yard'.",
        "ㅏ with an extra short stroke: the extra stroke adds a 'y' sound, ya.",
        ("야구", "yagu", "baseball"),
        "야",
    ),
    _lesson(
        "ㅒ",
        "ye as in 'yes'; today it sounds the same as ㅖ. Rare: mostly in 얘 (this kid), 걔 (that "
        "kid) and 얘기 (talk).",
        "ㅐ with an extra short stroke: the extra stroke adds a 'y' sound, yae.",
        ("얘기", "yaegi", "talk, story"),
        "얘",
    ),
    _lesson(
        "ㅓ",
        "Between the u in 'fun' and the o in British 'hot', with the mouth open and the lips "
        "relaxed, not rounded (어머니 eomeoni).",
        "Heaven's short stroke on the left, inside, facing the person ㅣ: the mirror of ㅏ.",
        ("어머니", "eomeoni", "mother"),
        "어",
    ),
    _lesson(
        "ㅔ",
        "e as in 'bed'. In today's Seoul speech it sounds the same as ㅐ (게 crab, 개 dog).",
        "ㅓ + ㅣ written together: the short stroke stays outside, on the left, pointing left.",
        ("네", "ne", "yes"),
        "에",
    ),
    _lesson(
        "ㅕ",
        "y + ㅓ, like 'yu' in 'yummy' with the mouth open. After ㅈ ㅉ ㅊ it is said as plain ㅓ "
        "(가져 [가저] gajyeo).",
        "ㅓ with an extra short stroke: the extra stroke adds a 'y' sound, yeo.",
        ("여자", "yeoja", "woman"),
        "여",
    ),
    _lesson(
        "ㅖ",
        "ye as in 'yes'. After a consonant (except in 례) it may be said as plain ㅔ "
        "(시계 [시게] sigye).",
        "ㅔ with an extra short stroke: the extra stroke adds a 'y' sound, ye.",
        ("시계", "sigye", "clock, watch"),
        "예",
    ),
    _lesson(
        "ㅗ",
        "o as in 'go', but a pure o: lips rounded and held, with no glide into 'oo' at the end.",
        "Earth ㅡ with heaven's short stroke above, pointing up to the sky: 'o'.",
        ("오이", "oi", "cucumber"),
        "오",
    ),
    _lesson(
        "ㅘ",
        "w + ㅏ: 'wah'.",
        "ㅗ + ㅏ written together: o gliding into a, 'wa'.",
        ("과자", "gwaja", "snack, cookie"),
        "와",
    ),
    _lesson(
        "ㅙ",
        "w + ㅐ: 'we' as in 'wet'. Today ㅙ, ㅚ and ㅞ sound nearly alike.",
        "ㅗ + ㅐ written together: o gliding into ae, 'wae'. Ask 왜? — 'why?'",
        ("왜", "wae", "why"),
        "왜",
    ),
    _lesson(
        "ㅚ",
        "Usually 'we' as in 'wet' today, like ㅞ and ㅙ. The standard lists it as a pure vowel, "
        "like German ö, and allows 'we'.",
        "ㅗ + ㅣ written together: o and i melt into 'we'.",
        ("회사", "hoesa", "company"),
        "외",
    ),
    _lesson(
        "ㅛ",
        "yo as in 'yoga', with a pure o.",
        "ㅗ with an extra short stroke: the extra stroke adds a 'y' sound, yo.",
        ("요리", "yori", "cooking"),
        "요",
    ),
    _lesson(
        "ㅜ",
        "oo as in 'moon', lips rounded and pushed forward.",
        "Earth ㅡ with heaven's short stroke below, pointing down into the ground: 'oo'.",
        ("우산", "usan", "umbrella"),
        "우",
    ),
    _lesson(
        "ㅝ",
        "w + ㅓ: 'wo' as in 'wonder'.",
        "ㅜ + ㅓ written together: u gliding into eo, 'wo'.",
        ("뭐", "mwo", "what"),
        "워",
    ),
    _lesson(
        "ㅞ",
        "w + ㅔ: 'we' as in 'wet'; sounds like ㅚ and ㅙ today. A rare letter.",
        "ㅜ + ㅔ written together: u gliding into e, 'we'.",
        ("웨이터", "weiteo", "waiter"),
        "웨",
    ),
    _lesson(
        "ㅟ",
        "w + ㅣ: 'wee' as in 'we', as most say it today. The standard lists it as a pure vowel, "
        "like French u, and allows 'wi'.",
        "ㅜ + ㅣ written together: u gliding into i, 'wi'.",
        ("귀", "gwi", "ear"),
        "위",
    ),
    _lesson(
        "ㅠ",
        "yu as in 'you'.",
        "ㅜ with an extra short stroke: the extra stroke adds a 'y' sound, yu.",
        ("우유", "uyu", "milk"),
        "유",
    ),
    _lesson(
        "ㅡ",
        "An 'oo' said with the lips spread flat, as in a smile, not rounded. It is also the quiet "
        "vowel added to English loanwords (스웨터 'sweater').",
        "Earth: a flat horizon. Keep your lips as flat as the line.",
        ("그림", "geurim", "picture, drawing"),
        "으",
    ),
    _lesson(
        "ㅢ",
        "ㅡ gliding into ㅣ, 'eu-i', said quickly (의자 uija). After a consonant it is just [i] "
        "(희망 [히망] himang, hope); later in a word 의 may be [i] (주의 [주이]), and the particle "
        "의 'of' is often [e].",
        "Earth ㅡ then human ㅣ: say them in the order you write them, quickly, 'eu-i'.",
        ("의자", "uija", "chair"),
        "의",
    ),
    _lesson(
        "ㅣ",
        "ee as in 'see'.",
        "Human: a person standing upright (Hunminjeongeum), 'ee' as in 'me'.",
        ("이름", "ireum", "name"),
        "이",
    ),
)

LESSONS: dict[str, LetterLesson] = {lesson.jamo: lesson for lesson in _LESSONS}
"""The lesson for each of the 40 letters, keyed by compatibility jamo."""


_CONTRASTS: tuple[tuple[str, str, str], ...] = (
    # (letter, letter, what tells them apart); read through CONFUSABLE_PAIRS.
    # Vowels.
    (
        "ㅏ",
        "ㅓ",
        "Look at the short stroke: on the right of the tall line it is ㅏ (a), on the "
        "left it is ㅓ (eo).",
    ),
    (
        "ㅗ",
        "ㅜ",
        "Look at the short stroke: above the flat line, pointing up, it is ㅗ (o); below, "
        "pointing down, it is ㅜ (u).",
    ),
    (
        "ㅑ",
        "ㅕ",
        "Two short strokes on the right of the tall line make ㅑ (ya); on the left, ㅕ (yeo).",
    ),
    (
        "ㅛ",
        "ㅠ",
        "Two short strokes above the flat line make ㅛ (yo); below it, ㅠ (yu).",
    ),
    (
        "ㅐ",
        "ㅔ",
        "In ㅐ (ae) the short stroke sits between the two tall lines, pointing right "
        "(ㅏ+ㅣ); in ㅔ (e) it sits outside on the left, pointing left (ㅓ+ㅣ). They "
        "sound the same today, so learn each word's spelling.",
    ),
    (
        "ㅒ",
        "ㅖ",
        "Two short strokes between the tall lines, pointing right, make ㅒ (yae); two "
        "outside on the left make ㅖ (ye).",
    ),
    (
        "ㅘ",
        "ㅝ",
        "ㅘ (wa) is ㅗ + ㅏ: one stroke up, one to the right, both pointing out. ㅝ (wo) "
        "is ㅜ + ㅓ: one stroke down, one to the left.",
    ),
    (
        "ㅙ",
        "ㅞ",
        "ㅙ (wae) is ㅗ + ㅐ: the short stroke on the flat line points up. ㅞ (we) is ㅜ "
        "+ ㅔ: it points down.",
    ),
    (
        "ㅚ",
        "ㅟ",
        "Both end in a tall ㅣ. ㅚ (oe) has the short stroke above the flat line (ㅗ), ㅟ "
        "(wi) below it (ㅜ).",
    ),
    (
        "ㅢ",
        "ㅚ",
        "ㅢ (ui) is a bare flat line + ㅣ; ㅚ (oe) has a short stroke rising above the flat line.",
    ),
    (
        "ㅓ",
        "ㅕ",
        "Count the short strokes on the left: one is ㅓ (eo), two is ㅕ (yeo, the extra "
        "stroke adds 'y').",
    ),
    (
        "ㅏ",
        "ㅑ",
        "Count the short strokes on the right: one is ㅏ (a), two is ㅑ (ya, the extra "
        "stroke adds 'y').",
    ),
    (
        "ㅗ",
        "ㅛ",
        "Count the short strokes above the flat line: one is ㅗ (o), two is ㅛ (yo).",
    ),
    (
        "ㅜ",
        "ㅠ",
        "Count the short strokes below the flat line: one is ㅜ (u), two is ㅠ (yu).",
    ),
    (
        "ㅐ",
        "ㅒ",
        "Count the short strokes between the tall lines: one is ㅐ (ae), two is ㅒ (yae).",
    ),
    (
        "ㅔ",
        "ㅖ",
        "Count the short strokes on the left: one is ㅔ (e), two is ㅖ (ye).",
    ),
    # Consonants.
    (
        "ㄷ",
        "ㄹ",
        "ㄷ (d) is a top line over an ㄴ: two flat lines, open on the right. ㄹ (r/l) "
        "zigzags: three flat lines, joined right, then left.",
    ),
    (
        "ㄹ",
        "ㅌ",
        "ㅌ (t) has one straight upright on the left and is open on the right; ㄹ (r/l) "
        "zigzags, its uprights on the right at the top and on the left at the bottom.",
    ),
    (
        "ㄱ",
        "ㅋ",
        "ㅋ (k) is ㄱ with a short flat stroke across the middle, touching the "
        "down-stroke: that stroke is the puff of air.",
    ),
    (
        "ㅇ",
        "ㅎ",
        "ㅎ (h) is ㅇ with a hat: a short stroke and a flat line above the circle. A bare "
        "circle is ㅇ.",
    ),
    (
        "ㅁ",
        "ㅇ",
        "ㅁ (m) is a square with sharp corners (the mouth); ㅇ (silent/ng) is a round "
        "circle (the throat). Keep the corners sharp.",
    ),
    (
        "ㅈ",
        "ㅊ",
        "ㅊ (ch) is ㅈ with a short extra stroke on top, like a hat: the puff of air.",
    ),
    (
        "ㅊ",
        "ㅎ",
        "Both wear a hat. Under the hat ㅊ (ch) has two legs (ㅈ), ㅎ (h) a circle.",
    ),
    (
        "ㅅ",
        "ㅈ",
        "ㅈ (j) has a flat line on top; ㅅ (s) is only two legs meeting at the top.",
    ),
    (
        "ㅂ",
        "ㅁ",
        "ㅂ (b) has its two side lines sticking up above the middle bar, like a bucket; "
        "ㅁ (m) is a closed square with nothing sticking out.",
    ),
    (
        "ㅂ",
        "ㅍ",
        "ㅂ (b) stands on two tall uprights; ㅍ (p) lies flat: two short uprights between "
        "a top line and a bottom line.",
    ),
    (
        "ㄷ",
        "ㅌ",
        "ㅌ (t) has a middle bar: three flat lines. ㄷ (d) has two.",
    ),
    (
        "ㄴ",
        "ㄷ",
        "ㄷ (d) has a top line; ㄴ (n) is open at the top.",
    ),
    (
        "ㅍ",
        "ㅌ",
        "ㅍ (p) has two short uprights between two flat lines; ㅌ (t) has one long "
        "upright on the left with three flat lines.",
    ),
    (
        "ㄱ",
        "ㄴ",
        "ㄱ (g) goes right, then down: its corner is at the top right. ㄴ (n) goes down, "
        "then right: its corner is at the bottom left.",
    ),
)

CONFUSABLE_PAIRS: dict[frozenset[str], str] = {frozenset((a, b)): text for a, b, text in _CONTRASTS}
"""What tells each confusable pair apart, in words a learner can use while writing."""


def contrast(a: str, b: str) -> str | None:
    """How to tell letters ``a`` and ``b`` apart (order does not matter), or ``None``."""
    return CONFUSABLE_PAIRS.get(frozenset((a, b))) if a != b else None


def with_contrast(text: str, a: str, b: str) -> str:
    """``text``, then on a line of its own how to tell ``a`` from ``b`` when there is a rule."""
    telling = contrast(a, b)
    return f"{text}\n{telling}" if telling else text


MINIMAL_PAIRS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("불", "fire"), ("풀", "grass"), ("뿔", "horn")),
    (("달", "moon"), ("탈", "mask"), ("딸", "daughter")),
    (("자다", "to sleep"), ("차다", "to kick"), ("짜다", "to be salty")),
    (("개다", "to fold"), ("캐다", "to dig up"), ("깨다", "to wake up")),
    (("사다", "to buy"), ("싸다", "to be cheap")),
    (("방", "room"), ("빵", "bread")),
    (("공", "ball"), ("콩", "bean")),
    (("굴", "oyster"), ("꿀", "honey")),
    (("살", "flesh"), ("쌀", "uncooked rice")),
    (("발", "foot"), ("팔", "arm")),
    (("반", "half"), ("밤", "night"), ("방", "room")),
    (("산", "mountain"), ("선", "line")),
    (("섬", "island"), ("솜", "cotton")),
    (("오리", "duck"), ("우리", "we")),
    (("글", "writing"), ("굴", "oyster")),
)
"""Groups of real words that differ in one letter and sound different, for listening drills.

Homophones in today's speech (개/게: ㅐ = ㅔ) are left out on purpose.
"""
