CREATE TABLE "family_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"submission_id" uuid NOT NULL,
	"child_id" uuid,
	"adult_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "family_submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"kind" text NOT NULL,
	"adult_id" uuid NOT NULL,
	"user_id" uuid,
	"child_id" uuid,
	"ehe_episode_id" uuid,
	"ehe_step_id" uuid,
	"letter_id" uuid,
	"social_care_episode_id" uuid,
	"social_care_step_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text NOT NULL,
	"due_on" date,
	"acknowledged_on" date,
	"outcome" text,
	"handled_by" uuid,
	"handled_on" date,
	"assigned_to" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "family_submissions_reference_unique" UNIQUE("reference")
);
--> statement-breakpoint
ALTER TABLE "adults" ADD COLUMN "supportive_person_name" text;--> statement-breakpoint
ALTER TABLE "adults" ADD COLUMN "supportive_person_contact" text;--> statement-breakpoint
ALTER TABLE "social_care_steps" ADD COLUMN "withheld_from_family" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "social_care_steps" ADD COLUMN "withheld_reason" text;--> statement-breakpoint
ALTER TABLE "family_documents" ADD CONSTRAINT "family_documents_submission_id_family_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."family_submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_documents" ADD CONSTRAINT "family_documents_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_documents" ADD CONSTRAINT "family_documents_adult_id_adults_id_fk" FOREIGN KEY ("adult_id") REFERENCES "public"."adults"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_submissions" ADD CONSTRAINT "family_submissions_adult_id_adults_id_fk" FOREIGN KEY ("adult_id") REFERENCES "public"."adults"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_submissions" ADD CONSTRAINT "family_submissions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_submissions" ADD CONSTRAINT "family_submissions_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_submissions" ADD CONSTRAINT "family_submissions_ehe_episode_id_episodes_id_fk" FOREIGN KEY ("ehe_episode_id") REFERENCES "public"."episodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_submissions" ADD CONSTRAINT "family_submissions_ehe_step_id_ehe_steps_id_fk" FOREIGN KEY ("ehe_step_id") REFERENCES "public"."ehe_steps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_submissions" ADD CONSTRAINT "family_submissions_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_submissions" ADD CONSTRAINT "family_submissions_social_care_episode_id_social_care_episodes_id_fk" FOREIGN KEY ("social_care_episode_id") REFERENCES "public"."social_care_episodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_submissions" ADD CONSTRAINT "family_submissions_social_care_step_id_social_care_steps_id_fk" FOREIGN KEY ("social_care_step_id") REFERENCES "public"."social_care_steps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_submissions" ADD CONSTRAINT "family_submissions_handled_by_users_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_submissions" ADD CONSTRAINT "family_submissions_assigned_to_users_id_fk" FOREIGN KEY ("assigned_to") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "family_documents_submission_idx" ON "family_documents" USING btree ("submission_id");--> statement-breakpoint
CREATE INDEX "family_submissions_adult_idx" ON "family_submissions" USING btree ("adult_id","created_at");--> statement-breakpoint
CREATE INDEX "family_submissions_child_idx" ON "family_submissions" USING btree ("child_id","created_at");--> statement-breakpoint
CREATE INDEX "family_submissions_open_idx" ON "family_submissions" USING btree ("kind","status");