// Constraints and indexes of the kg graph. Applied by `kg init` and before every load;
// every statement is IF NOT EXISTS, so applying them again changes nothing.

CREATE CONSTRAINT actor_uri IF NOT EXISTS FOR (a:Actor) REQUIRE a.uri IS UNIQUE;
CREATE CONSTRAINT document_uri IF NOT EXISTS FOR (d:Document) REQUIRE d.uri IS UNIQUE;
CREATE CONSTRAINT evidence_uri IF NOT EXISTS FOR (e:Evidence) REQUIRE e.uri IS UNIQUE;
CREATE CONSTRAINT claim_uri IF NOT EXISTS FOR (c:Claim) REQUIRE c.uri IS UNIQUE;
CREATE CONSTRAINT resource_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE;

// Recomputing a relationship's aggregates looks its evidence up by pair and relation.
CREATE INDEX evidence_pair IF NOT EXISTS FOR (e:Evidence) ON (e.subject, e.object, e.relation);
// The evidence query reads a pair's evidence and claims newest first (seen: the document's date)
// and stops at its limit, however many reports the pair has.
CREATE INDEX evidence_newest IF NOT EXISTS FOR (e:Evidence) ON (e.subject, e.object, e.seen);
CREATE INDEX claim_newest IF NOT EXISTS FOR (e:Claim) ON (e.subject, e.object, e.seen);
// Canned queries find actors by lower-cased name ...
CREATE INDEX actor_name_lower IF NOT EXISTS FOR (a:Actor) ON (a.nameLower);
CREATE INDEX actor_name IF NOT EXISTS FOR (a:Actor) ON (a.name);
// ... and documents by date ("what is new since").
CREATE INDEX document_published IF NOT EXISTS FOR (d:Document) ON (d.published);
CREATE INDEX document_ingested IF NOT EXISTS FOR (d:Document) ON (d.ingestedAt);
CREATE INDEX document_sha IF NOT EXISTS FOR (d:Document) ON (d.sha256);
// Queries that rank every relationship of one type by its evidence read them strongest first.
CREATE INDEX military_aid_evidence IF NOT EXISTS FOR ()-[r:MILITARY_AID]-() ON (r.evidenceCount);
CREATE INDEX mutual_defense_evidence IF NOT EXISTS FOR ()-[r:MUTUAL_DEFENSE]-() ON (r.evidenceCount);
// "What is new since" reads each type's relationships newest first.
CREATE INDEX adversary_of_last_seen IF NOT EXISTS FOR ()-[r:ADVERSARY_OF]-() ON (r.lastSeen);
CREATE INDEX allied_with_last_seen IF NOT EXISTS FOR ()-[r:ALLIED_WITH]-() ON (r.lastSeen);
CREATE INDEX at_war_with_last_seen IF NOT EXISTS FOR ()-[r:AT_WAR_WITH]-() ON (r.lastSeen);
CREATE INDEX invaded_last_seen IF NOT EXISTS FOR ()-[r:INVADED]-() ON (r.lastSeen);
CREATE INDEX leader_of_last_seen IF NOT EXISTS FOR ()-[r:LEADER_OF]-() ON (r.lastSeen);
CREATE INDEX member_of_last_seen IF NOT EXISTS FOR ()-[r:MEMBER_OF]-() ON (r.lastSeen);
CREATE INDEX military_aid_last_seen IF NOT EXISTS FOR ()-[r:MILITARY_AID]-() ON (r.lastSeen);
CREATE INDEX military_presence_last_seen IF NOT EXISTS FOR ()-[r:MILITARY_PRESENCE]-() ON (r.lastSeen);
CREATE INDEX mutual_defense_last_seen IF NOT EXISTS FOR ()-[r:MUTUAL_DEFENSE]-() ON (r.lastSeen);
CREATE INDEX negotiates_with_last_seen IF NOT EXISTS FOR ()-[r:NEGOTIATES_WITH]-() ON (r.lastSeen);
CREATE INDEX occupies_last_seen IF NOT EXISTS FOR ()-[r:OCCUPIES]-() ON (r.lastSeen);
CREATE INDEX sanctions_last_seen IF NOT EXISTS FOR ()-[r:SANCTIONS]-() ON (r.lastSeen);
CREATE INDEX signed_agreement_last_seen IF NOT EXISTS FOR ()-[r:SIGNED_AGREEMENT]-() ON (r.lastSeen);
CREATE INDEX supports_last_seen IF NOT EXISTS FOR ()-[r:SUPPORTS]-() ON (r.lastSeen);
CREATE INDEX threatens_last_seen IF NOT EXISTS FOR ()-[r:THREATENS]-() ON (r.lastSeen);
// A long document's evidence waits as :Staged nodes until the document is complete.
CREATE INDEX staged_document IF NOT EXISTS FOR (e:Staged) ON (e.document);
// Agreements: one node per agreement, recomputed from what each document says of it (its
// :AgreementMention) and from the sentences that give its parties' statuses (:AgreementEvent).
CREATE CONSTRAINT agreement_uri IF NOT EXISTS FOR (a:Agreement) REQUIRE a.uri IS UNIQUE;
CREATE CONSTRAINT agreement_event_uri IF NOT EXISTS FOR (e:AgreementEvent) REQUIRE e.uri IS UNIQUE;
CREATE CONSTRAINT agreement_mention_uri IF NOT EXISTS FOR (m:AgreementMention) REQUIRE m.uri IS UNIQUE;
