CREATE TABLE "matching_exercise_rows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"exercise_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"person" jsonb NOT NULL,
	"status" text NOT NULL,
	"matched_child_id" uuid,
	"score" integer NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"case_child_id" uuid
);
--> statement-breakpoint
CREATE TABLE "matching_exercises" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"row_count" integer NOT NULL,
	"known_count" integer NOT NULL,
	"unknown_count" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "matching_exercise_rows" ADD CONSTRAINT "matching_exercise_rows_exercise_id_matching_exercises_id_fk" FOREIGN KEY ("exercise_id") REFERENCES "public"."matching_exercises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matching_exercise_rows" ADD CONSTRAINT "matching_exercise_rows_matched_child_id_children_id_fk" FOREIGN KEY ("matched_child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matching_exercise_rows" ADD CONSTRAINT "matching_exercise_rows_case_child_id_children_id_fk" FOREIGN KEY ("case_child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matching_exercises" ADD CONSTRAINT "matching_exercises_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "matching_exercise_rows_exercise_idx" ON "matching_exercise_rows" USING btree ("exercise_id","status");