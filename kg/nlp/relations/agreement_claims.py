"""The claims agreements give: `mutualDefense` between the parties a defence agreement binds,
`signedAgreement` between the parties one sentence says signed it, and `mutualDefense` stated
before an agreement ended made past."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

from spacy.tokens import Doc

from kg.nlp.modality import ASSERTED
from kg.nlp.relations.agreement_words import DEFENCE, NAMED, Agreement, AgreementEvent, AgreementWords
from kg.nlp.relations.claim import Claim
from kg.nlp.relations.syntax import actor_class
from kg.vocabulary import AgreementTerms, agreement_terms


class AgreementClaims:
    """Mixin of the relation extractor (through `AgreementReader`)."""

    agreement_words: AgreementWords

    @staticmethod
    def _lapsed(claims: list[Claim], agreements: list[Agreement]) -> list[Claim]:
        """A defence agreement the document says ended, expired, was suspended or was left no longer
        binds: its parties' `mutualDefense` stated before that is past, unless another agreement of the
        document still binds them."""
        terms = agreement_terms()
        defence = [a for a in agreements if DEFENCE in a.obligations]
        still = {frozenset(pair) for a in defence for pair in combinations(a.bound(terms.binds), 2)}
        ended: dict[frozenset[str], AgreementEvent] = {}
        for agreement in defence:
            parties = agreement.parties()
            for event in agreement.events:
                if terms.binds.get(event.status) is not False:
                    continue
                pairs = [frozenset((event.party, p)) for p in parties if p != event.party] if event.party \
                    else [frozenset(pair) for pair in combinations(parties, 2)]
                ended.update((pair, event) for pair in pairs if pair not in still)
        lapsed = []
        for claim in claims:
            event = ended.get(frozenset((claim.subject, claim.object)))
            if claim.relation == "mutualDefense" and claim.modality == ASSERTED and event is not None \
                    and claim.sent_start <= event.sent_start:
                claim = replace(claim, modality="past", cue=terms.statuses[event.status])
            lapsed.append(claim)
        return lapsed

    def _signing_claims(self, doc: Doc, events: list[AgreementEvent]) -> list[Claim]:
        """`signedAgreement` between the parties one sentence says signed or ratified an agreement ('the
        agreement they made with Turkey', 'the pact between A and B was signed in 2020')."""
        claims = []
        for start in sorted({e.sent_start for e in events}):
            here = [e for e in events if e.sent_start == start]
            signing = any(not e.party and e.status in self.agreement_words.signing for e in here)
            signers = [e.party for e in here if e.party and (e.status in self.agreement_words.signing
                                                             or (signing and e.status == NAMED))]
            anchor = doc.char_span(start, here[0].sent_end, alignment_mode="expand")
            if anchor is None:
                continue
            claims += [self._claim(anchor.root, a, "signedAgreement", b, "agreement:signedAgreement", 0.7, ASSERTED)
                       for a, b in combinations(sorted(set(signers)), 2)]
        return claims

    def _defence_claims(self, doc: Doc, agreement: Agreement, events: list[tuple[AgreementEvent, bool]],
                        anchor_at: int | None, terms: AgreementTerms) -> list[Claim]:
        """A party named only in passing by an indefinite mention ('talks on a Russia-Iran pact') is not
        bound; one that signed, ratified, joined or is named by a definite mention is."""
        firm = Agreement(agreement.key, agreement.name, agreement.kind, agreement.acronym, agreement.obligations,
                         tuple(e for e, definite in events if e.status != NAMED or definite))
        bound = [p for p in firm.bound(terms.binds) if actor_class(doc, p) != "Person"]
        claims = []
        for a, b in combinations(sorted(bound), 2):
            anchor = doc[anchor_at] if anchor_at is not None else None
            if anchor is None:  # the kind says defence: the latest sentence naming either party
                at = max((e.sent_start for e in firm.events if e.party in (a, b)), default=0)
                anchor = next((t for t in doc if t.idx >= at), doc[0])
            claims.append(self._claim(anchor, a, "mutualDefense", b, "agreement:mutualDefense", 0.7, ASSERTED))
        return claims
