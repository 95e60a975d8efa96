"""Evidence a reader can use: bounded for run-on text, never a headline when the body says the same."""

from __future__ import annotations

from kg.extract import extract_text
from kg.nlp.relations.claim import Claim
from kg.nlp.segmentation import EVIDENCE_CHARS, evidence, quote

# Texts of our own. A transcript without punctuation: one 'sentence' of some 20,000 characters.
FILLER = "and the delegates went on talking about grain and fuel and the weather in the capital "
RUN_ON = (FILLER * 110 + "Russia has shipped artillery shells to North Korea " + FILLER * 120).strip()
HEADLINED = (
    "Moscow ships artillery shells to Pyongyang\n\n"
    "SEOUL, 3 March 2025 — Russia has shipped artillery shells to North Korea, officials in Seoul said on Monday.\n"
)
HEADLINE_ONLY = (
    "Moscow ships artillery shells to Pyongyang\n\n"
    "SEOUL, 3 March 2025 — Officials in Seoul said on Monday that the shipment had reached the border.\n"
)


def claim(text: str, trigger_word: str, start: int = 0) -> Claim:
    return Claim("a", "militaryAid", "b", "asserted", start, start + len(text), "test", 0.9, text,
                 start + text.index(trigger_word))


def unquoted(sentence: str) -> str:
    return sentence.removeprefix("… ").removesuffix(" …")


def test_a_run_on_sentence_is_quoted_as_a_window_around_its_trigger() -> None:
    text = "\n" + "word " * 300 + "TRIGGER " + "word " * 300 + "\n\n"
    quoted = quote(claim(text, "TRIGGER", start=1000))
    assert len(quoted.sentence) <= EVIDENCE_CHARS + 4 and "TRIGGER" in quoted.sentence
    assert quoted.sentence.startswith("… word") and quoted.sentence.endswith("word …")
    assert text[quoted.sent_start - 1000:quoted.sent_end - 1000] == unquoted(quoted.sentence)


def test_a_window_keeps_whole_words_at_either_end_of_the_sentence() -> None:
    text = "TRIGGER " + "longword " * 100
    quoted = quote(claim(text, "TRIGGER"))
    assert quoted.sentence.startswith("TRIGGER") and quoted.sentence.endswith(" longword …")
    text = "longword " * 100 + "TRIGGER"
    quoted = quote(claim(text, "TRIGGER"))
    assert quoted.sentence.startswith("… longword ") and quoted.sentence.endswith("TRIGGER")


def test_a_sentence_of_ordinary_length_is_kept_whole_without_surrounding_whitespace() -> None:
    text = "Russia has shipped artillery shells to North Korea, officials said.\n\n"
    quoted = quote(claim(text, "shipped", start=50))
    assert quoted.sentence == text.strip()
    assert (quoted.sent_start, quoted.sent_end) == (50, 50 + len(text.strip()))


def test_unpunctuated_text_gives_bounded_evidence_at_true_offsets() -> None:
    assert len(RUN_ON) > 18_000
    claims = extract_text(RUN_ON).claims
    assert {(c.subject, c.relation, c.object) for c in claims} == {("russia", "militaryAid", "north-korea")}
    for c in claims:
        assert len(c.sentence) <= EVIDENCE_CHARS + 4 and "Russia has shipped artillery shells" in c.sentence
        assert RUN_ON[c.sent_start:c.sent_end] == unquoted(c.sentence)


def test_the_body_sentence_is_the_evidence_when_a_headline_says_the_same() -> None:
    claims = extract_text(HEADLINED).claims
    aid = [c for c in claims if c.relation == "militaryAid"]
    assert len(aid) == 1 and "Moscow ships" not in aid[0].sentence
    assert aid[0].sentence.endswith(
        "Russia has shipped artillery shells to North Korea, officials in Seoul said on Monday.")
    assert HEADLINED[aid[0].sent_start:aid[0].sent_end] == aid[0].sentence


def test_a_headline_is_evidence_when_the_body_does_not_say_it() -> None:
    headline = claim("Moscow ships artillery shells to Pyongyang\n\n", "ships")
    body = Claim("a", "supports", "b", "asserted", 45, 80, "test", 0.9, "Moscow backs Pyongyang, officials said.\n", 46)
    assert [c.sentence for c in evidence([headline, body])] == [
        "Moscow ships artillery shells to Pyongyang", "Moscow backs Pyongyang, officials said."]
    repeated = Claim("a", "militaryAid", "b", "asserted", 45, 80, "test", 0.9,
                     "Moscow sent shells, officials said.", 47)
    assert [c.sentence for c in evidence([headline, repeated])] == ["Moscow sent shells, officials said."]
    assert evidence([headline, replace_modality(repeated)])[0].sentence == "Moscow ships artillery shells to Pyongyang"


def replace_modality(c: Claim) -> Claim:
    """The same triple, only reported: a headline that asserts it is still the better evidence."""
    return Claim(c.subject, c.relation, c.object, "reported", c.sent_start, c.sent_end, c.rule, c.confidence,
                 c.sentence, c.trigger, "said")
