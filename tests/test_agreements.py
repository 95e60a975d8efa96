"""Agreements as entities: mentions, references, parties, statuses, dates and obligations (texts of our own)."""

from __future__ import annotations

from kg.extract import extract_text, to_dataset
from kg.nlp.relations import Agreement
from kg.rdf.shapes import validate_dataset
from kg.vocabulary import KG, agreement_terms

BINDS = agreement_terms().binds


def agreements(text: str) -> dict[str, Agreement]:
    return {a.key: a for a in extract_text(text).agreements}


def statuses(agreement: Agreement) -> set[tuple[str, str, str]]:
    return {(e.party, e.status, e.date) for e in agreement.events}


def defence_pairs(text: str) -> set[frozenset[str]]:
    return {frozenset((c.subject, c.object)) for c in extract_text(text).asserted if c.relation == "mutualDefense"}


def test_a_treaty_named_once_and_referred_to_three_ways() -> None:
    text = ("Poland and Lithuania signed the Treaty of Amber Shield (TAS) on 14 March 2021. Under the pact, the "
            "parties will assist each other if either is attacked. The agreement entered into force in January "
            "2022, and Warsaw hosted the first TAS council a year later.")
    found = agreements(text)
    assert list(found) == ["treaty-of-amber-shield"]
    treaty = found["treaty-of-amber-shield"]
    assert treaty.name == "Treaty of Amber Shield" and treaty.acronym == "TAS"
    assert "Defence" in treaty.obligations
    assert {("poland", "Signed", "2021-03-14"), ("lithuania", "Signed", "2021-03-14"),
            ("", "InForce", "2022-01")} <= statuses(treaty)
    assert sorted(treaty.bound(BINDS)) == ["lithuania", "poland"]


def test_a_multilateral_pact_with_members_who_join_leave_and_rejoin() -> None:
    text = ("Chile, Argentina, Peru and Bolivia entered the Southern Ocean Compact in 1994. For each member, "
            "an attack on one member is an attack on all. Uruguay joined in 1999; Peru left in 2015. "
            "Bolivia withdrew from the compact in 2016 but rejoined in March 2021.")
    compact = agreements(text)["southern-ocean-compact"]
    assert ("uruguay", "Joined", "1999") in statuses(compact)
    assert ("peru", "Withdrew", "2015") in statuses(compact)
    assert ("bolivia", "Joined", "2021-03") in statuses(compact)
    assert sorted(compact.bound(BINDS)) == ["argentina", "bolivia", "chile", "uruguay"]
    pairs = defence_pairs(text)
    assert frozenset(("chile", "uruguay")) in pairs
    assert not any("peru" in pair for pair in pairs)


def test_an_unnamed_pact_is_keyed_by_kind_and_parties_and_picked_up_by_it() -> None:
    text = "Chad and Niger signed a defence treaty in 1990. The two neighbours renewed it in 2020."
    pact = agreements(text)["defence-pact-chad-niger"]
    assert pact.kind == "DefencePact" and pact.obligations == ("Defence",)
    assert ("chad", "Signed", "2020") in statuses(pact)


def test_proposed_and_suspended_pacts_bind_nobody() -> None:
    text = ("Iran and Venezuela discussed a possible defence pact last year. Separately, Ghana and Togo "
            "suspended their defence treaty in 2020.")
    found = agreements(text)
    assert {e.status for e in found["defence-pact-iran-venezuela"].events} == {"Proposed"}
    suspended = found["defence-pact-ghana-togo"]
    assert ("", "Suspended", "2020") in statuses(suspended) and suspended.bound(BINDS) == []
    assert defence_pairs(text) == set()


def test_a_negated_signing_is_no_event() -> None:
    assert agreements("Serbia refused to sign a defence pact with Hungary in 2019.") == {}


def test_a_definite_reference_with_other_parties_is_another_agreement() -> None:
    text = ("Egypt and Sudan signed a defence pact in 2021. Kenya and Uganda later signed their own defence "
            "pact, and the pact between Kenya and Uganda took effect in 2023.")
    found = agreements(text)
    assert set(found) == {"defence-pact-egypt-sudan", "defence-pact-kenya-uganda"}
    assert ("", "InForce", "2023") in statuses(found["defence-pact-kenya-uganda"])


def test_provisions_and_basing_give_obligations() -> None:
    text = ("Kenya's security agreement with Ethiopia, concluded in 2019, lets each country station troops at "
            "the other's bases.")
    pact = agreements(text)["security-agreement-ethiopia-kenya"]
    assert pact.kind == "SecurityAgreement" and "Basing" in pact.obligations
    assert {("kenya", "Signed", "2019"), ("ethiopia", "Signed", "2019")} <= statuses(pact)


def test_agreements_in_rdf_pass_the_shapes() -> None:
    text = ("Poland and Lithuania signed the Treaty of Amber Shield on 14 March 2021. Under the treaty, the "
            "parties will assist each other if either is attacked. Lithuania withdrew from the treaty in 2024.")
    ds = to_dataset([extract_text(text)])
    conforms, report = validate_dataset(ds)
    assert conforms, report
    parties = {str(s).rsplit("/", 1)[-1] for s, _, _, _ in ds.quads((None, KG.partyTo, None, None))}
    assert parties == {"poland"}
    assert len({s for s, _, _, _ in ds.quads((None, None, KG.AgreementEvent, None))}) == 3


def test_a_pact_that_ended_later_leaves_no_asserted_defence() -> None:
    for text in ("Ghana and Togo signed a defence treaty in 1990. In 2020 the treaty was suspended.",
                 "Mali and Niger signed a mutual defence pact in 2005. Niger withdrew from the pact in 2019.",
                 "Russia and Iran have a mutual defence pact. The pact expired last year."):
        assert defence_pairs(text) == set(), text


def test_a_pact_that_only_might_end_still_binds() -> None:
    assert defence_pairs("Russia and Iran have a mutual defence pact. Iran considered leaving the pact.") == {
        frozenset(("iran", "russia"))}


def test_parties_bound_by_a_treaty_are_its_parties() -> None:
    pact = agreements("Armenia is bound by a mutual defence treaty with Russia.")["defence-pact-armenia-russia"]
    assert sorted(pact.bound(BINDS)) == ["armenia", "russia"]
