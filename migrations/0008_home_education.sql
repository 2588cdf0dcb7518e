CREATE TABLE "bank_holidays" (
	"date" date PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consent_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"deletion_return_id" uuid,
	"school_id" uuid NOT NULL,
	"status" text NOT NULL,
	"requested_on" date NOT NULL,
	"grounds" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"protection_snapshot" jsonb,
	"parent_views" text,
	"child_views" text,
	"school_view" text,
	"best_interests" text,
	"school_attendance_in_best_interests" boolean,
	"decision_reasons" text,
	"decided_by" uuid,
	"decided_on" date,
	"allocated_to" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ehe_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"episode_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"started_on" date NOT NULL,
	"due_on" date,
	"completed_on" date,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "family_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"episode_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"step_id" uuid,
	"received_on" date NOT NULL,
	"method" text NOT NULL,
	"summary" text NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "letter_templates" (
	"key" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid,
	"episode_id" uuid,
	"consent_request_id" uuid,
	"step_id" uuid,
	"template_key" text NOT NULL,
	"recipient_adult_id" uuid,
	"recipient_school_id" uuid,
	"recipient_name" text NOT NULL,
	"channel" text NOT NULL,
	"email_address" text,
	"reference" text NOT NULL,
	"subject" text NOT NULL,
	"content" jsonb NOT NULL,
	"status" text NOT NULL,
	"status_detail" text,
	"provider_reference" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "suitability_judgements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"episode_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"efficient" text NOT NULL,
	"full_time" text NOT NULL,
	"suitable_to_age_ability_aptitude" text NOT NULL,
	"suitable_to_sen" text NOT NULL,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reasoning" text NOT NULL,
	"outcome" text NOT NULL,
	"status" text NOT NULL,
	"judged_by" uuid NOT NULL,
	"judged_on" date NOT NULL,
	"moderated_by" uuid,
	"moderated_at" timestamp with time zone,
	"moderation_note" text,
	"family_response" text,
	"child_views" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "councils" ADD COLUMN "home_education_policy" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "adults" ADD COLUMN "preferred_channel" text DEFAULT 'post' NOT NULL;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD CONSTRAINT "consent_requests_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD CONSTRAINT "consent_requests_deletion_return_id_deletion_returns_id_fk" FOREIGN KEY ("deletion_return_id") REFERENCES "public"."deletion_returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD CONSTRAINT "consent_requests_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD CONSTRAINT "consent_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD CONSTRAINT "consent_requests_allocated_to_users_id_fk" FOREIGN KEY ("allocated_to") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehe_steps" ADD CONSTRAINT "ehe_steps_episode_id_episodes_id_fk" FOREIGN KEY ("episode_id") REFERENCES "public"."episodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehe_steps" ADD CONSTRAINT "ehe_steps_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehe_steps" ADD CONSTRAINT "ehe_steps_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_responses" ADD CONSTRAINT "family_responses_episode_id_episodes_id_fk" FOREIGN KEY ("episode_id") REFERENCES "public"."episodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_responses" ADD CONSTRAINT "family_responses_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_responses" ADD CONSTRAINT "family_responses_step_id_ehe_steps_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."ehe_steps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_responses" ADD CONSTRAINT "family_responses_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_templates" ADD CONSTRAINT "letter_templates_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_episode_id_episodes_id_fk" FOREIGN KEY ("episode_id") REFERENCES "public"."episodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_consent_request_id_consent_requests_id_fk" FOREIGN KEY ("consent_request_id") REFERENCES "public"."consent_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_step_id_ehe_steps_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."ehe_steps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_recipient_adult_id_adults_id_fk" FOREIGN KEY ("recipient_adult_id") REFERENCES "public"."adults"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_recipient_school_id_schools_id_fk" FOREIGN KEY ("recipient_school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suitability_judgements" ADD CONSTRAINT "suitability_judgements_episode_id_episodes_id_fk" FOREIGN KEY ("episode_id") REFERENCES "public"."episodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suitability_judgements" ADD CONSTRAINT "suitability_judgements_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suitability_judgements" ADD CONSTRAINT "suitability_judgements_judged_by_users_id_fk" FOREIGN KEY ("judged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suitability_judgements" ADD CONSTRAINT "suitability_judgements_moderated_by_users_id_fk" FOREIGN KEY ("moderated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consent_requests_return_idx" ON "consent_requests" USING btree ("deletion_return_id");--> statement-breakpoint
CREATE INDEX "consent_requests_status_idx" ON "consent_requests" USING btree ("status","requested_on");--> statement-breakpoint
CREATE INDEX "consent_requests_child_idx" ON "consent_requests" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "ehe_steps_episode_idx" ON "ehe_steps" USING btree ("episode_id","created_at");--> statement-breakpoint
CREATE INDEX "ehe_steps_open_due_idx" ON "ehe_steps" USING btree ("status","due_on");--> statement-breakpoint
CREATE INDEX "family_responses_episode_idx" ON "family_responses" USING btree ("episode_id");--> statement-breakpoint
CREATE INDEX "letters_child_idx" ON "letters" USING btree ("child_id","created_at");--> statement-breakpoint
CREATE INDEX "letters_status_idx" ON "letters" USING btree ("status");--> statement-breakpoint
CREATE INDEX "suitability_judgements_episode_idx" ON "suitability_judgements" USING btree ("episode_id","created_at");