CREATE TABLE "information_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"episode_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"agency" text NOT NULL,
	"recipient_school_id" uuid,
	"recipient_role" text,
	"question" text NOT NULL,
	"requested_on" date NOT NULL,
	"due_on" date NOT NULL,
	"status" text NOT NULL,
	"answer" text,
	"answered_by" uuid,
	"answered_on" date,
	"requested_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "social_care_episodes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"status" text NOT NULL,
	"referral_date" date NOT NULL,
	"referral_source" text NOT NULL,
	"referrer_name" text NOT NULL,
	"concerns" text NOT NULL,
	"prior_concern_documented" boolean NOT NULL,
	"prior_concern_detail" text,
	"home_education_only" boolean DEFAULT false NOT NULL,
	"proceed_reason" text,
	"decision_due_on" date NOT NULL,
	"decision" text,
	"decided_on" date,
	"decided_by" uuid,
	"primary_need_code" text,
	"assessment_due_on" date,
	"allocated_to" uuid,
	"closed_on" date,
	"closure_reason" text,
	"closure_notice_due_on" date,
	"family_told_on" date,
	"family_told_how" text,
	"written_closure_requested_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "social_care_steps" (
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
ALTER TABLE "letters" ADD COLUMN "social_care_episode_id" uuid;--> statement-breakpoint
ALTER TABLE "information_requests" ADD CONSTRAINT "information_requests_episode_id_social_care_episodes_id_fk" FOREIGN KEY ("episode_id") REFERENCES "public"."social_care_episodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_requests" ADD CONSTRAINT "information_requests_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_requests" ADD CONSTRAINT "information_requests_recipient_school_id_schools_id_fk" FOREIGN KEY ("recipient_school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_requests" ADD CONSTRAINT "information_requests_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_requests" ADD CONSTRAINT "information_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_care_episodes" ADD CONSTRAINT "social_care_episodes_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_care_episodes" ADD CONSTRAINT "social_care_episodes_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_care_episodes" ADD CONSTRAINT "social_care_episodes_allocated_to_users_id_fk" FOREIGN KEY ("allocated_to") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_care_episodes" ADD CONSTRAINT "social_care_episodes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_care_steps" ADD CONSTRAINT "social_care_steps_episode_id_social_care_episodes_id_fk" FOREIGN KEY ("episode_id") REFERENCES "public"."social_care_episodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_care_steps" ADD CONSTRAINT "social_care_steps_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_care_steps" ADD CONSTRAINT "social_care_steps_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "information_requests_episode_idx" ON "information_requests" USING btree ("episode_id");--> statement-breakpoint
CREATE INDEX "information_requests_recipient_idx" ON "information_requests" USING btree ("status","recipient_role","recipient_school_id");--> statement-breakpoint
CREATE INDEX "social_care_episodes_child_idx" ON "social_care_episodes" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "social_care_episodes_status_idx" ON "social_care_episodes" USING btree ("status","decision_due_on");--> statement-breakpoint
CREATE INDEX "social_care_steps_episode_idx" ON "social_care_steps" USING btree ("episode_id","created_at");--> statement-breakpoint
CREATE INDEX "social_care_steps_open_due_idx" ON "social_care_steps" USING btree ("status","due_on");--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_social_care_episode_id_social_care_episodes_id_fk" FOREIGN KEY ("social_care_episode_id") REFERENCES "public"."social_care_episodes"("id") ON DELETE no action ON UPDATE no action;