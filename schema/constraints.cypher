// Constraints and indexes of the kg graph. Applied by `kg init` and before every load;
// every statement is IF NOT EXISTS, so applying them again changes nothing.

CREATE CONSTRAINT actor_uri IF NOT EXISTS FOR (a:Actor) REQUIRE a.uri IS UNIQUE;
CREATE CONSTRAINT document_uri IF NOT EXISTS FOR (d:Document) REQUIRE d.uri IS UNIQUE;
CREATE CONSTRAINT evidence_uri IF NOT EXISTS FOR (e:Evidence) REQUIRE e.uri IS UNIQUE;
CREATE CONSTRAINT claim_uri IF NOT EXISTS FOR (c:Claim) REQUIRE c.uri IS UNIQUE;
CREATE CONSTRAINT resource_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE;

// Recomputing a relationship's aggregates looks its evidence up by pair and relation.
CREATE INDEX evidence_pair IF NOT EXISTS FOR (e:Evidence) ON (e.subject, e.object, e.relation);
// Canned queries find actors by lower-cased name ...
CREATE INDEX actor_name_lower IF NOT EXISTS FOR (a:Actor) ON (a.nameLower);
CREATE INDEX actor_name IF NOT EXISTS FOR (a:Actor) ON (a.name);
// ... and documents by date ("what is new since").
CREATE INDEX document_published IF NOT EXISTS FOR (d:Document) ON (d.published);
CREATE INDEX document_ingested IF NOT EXISTS FOR (d:Document) ON (d.ingestedAt);
CREATE INDEX document_sha IF NOT EXISTS FOR (d:Document) ON (d.sha256);
// A long document's evidence waits as :Staged nodes until the document is complete.
CREATE INDEX staged_document IF NOT EXISTS FOR (e:Staged) ON (e.document);
// Agreements: one node per agreement, recomputed from what each document says of it (its
// :AgreementMention) and from the sentences that give its parties' statuses (:AgreementEvent).
CREATE CONSTRAINT agreement_uri IF NOT EXISTS FOR (a:Agreement) REQUIRE a.uri IS UNIQUE;
CREATE CONSTRAINT agreement_event_uri IF NOT EXISTS FOR (e:AgreementEvent) REQUIRE e.uri IS UNIQUE;
CREATE CONSTRAINT agreement_mention_uri IF NOT EXISTS FOR (m:AgreementMention) REQUIRE m.uri IS UNIQUE;
