CREATE TABLE "audit_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
INSERT INTO "audit_head" ("id", "seq", "hash")
SELECT 1,
       COALESCE((SELECT max("seq") FROM "audit_log"), 0),
       COALESCE((SELECT "hash" FROM "audit_log" ORDER BY "seq" DESC LIMIT 1), repeat('0', 64));
--> statement-breakpoint
ALTER TABLE "audit_head" ADD CONSTRAINT "audit_head_single_row" CHECK ("id" = 1);
