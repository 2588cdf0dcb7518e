CREATE TABLE "child_merges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"survivor_id" uuid NOT NULL,
	"merged_id" uuid NOT NULL,
	"before" jsonb NOT NULL,
	"moved" jsonb NOT NULL,
	"provenance" jsonb NOT NULL,
	"reason" text NOT NULL,
	"merged_by" uuid,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL,
	"unmerged_by" uuid,
	"unmerged_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "merged_into" uuid;--> statement-breakpoint
ALTER TABLE "child_merges" ADD CONSTRAINT "child_merges_survivor_id_children_id_fk" FOREIGN KEY ("survivor_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_merges" ADD CONSTRAINT "child_merges_merged_id_children_id_fk" FOREIGN KEY ("merged_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_merges" ADD CONSTRAINT "child_merges_merged_by_users_id_fk" FOREIGN KEY ("merged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_merges" ADD CONSTRAINT "child_merges_unmerged_by_users_id_fk" FOREIGN KEY ("unmerged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "child_merges_survivor_idx" ON "child_merges" USING btree ("survivor_id");--> statement-breakpoint
CREATE INDEX "child_merges_merged_idx" ON "child_merges" USING btree ("merged_id");