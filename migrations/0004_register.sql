CREATE TABLE "cme_enquiries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"episode_id" uuid NOT NULL,
	"with_whom" text NOT NULL,
	"method" text NOT NULL,
	"made_on" date NOT NULL,
	"outcome" text NOT NULL,
	"joint_with_school" boolean DEFAULT false NOT NULL,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deletion_returns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"child_id" uuid,
	"submitted_by" uuid,
	"source" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"pupil_first_name" text NOT NULL,
	"pupil_last_name" text NOT NULL,
	"pupil_date_of_birth" date NOT NULL,
	"upn" text,
	"parent_name" text NOT NULL,
	"parent_address_line_1" text NOT NULL,
	"parent_town" text NOT NULL,
	"parent_postcode" text NOT NULL,
	"emergency_phone" text NOT NULL,
	"future_address" text,
	"destination_school" text,
	"destination_start_date" date,
	"ground" text NOT NULL,
	"deletion_date" date NOT NULL,
	"ehe_reason" text,
	"safeguarding_concerns" boolean NOT NULL,
	"concerns_documented_on" date,
	"concerns_detail" text,
	"consent_required" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "episodes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"opened_on" date NOT NULL,
	"opened_by" text NOT NULL,
	"source_id" uuid,
	"reason" text,
	"allocated_to" uuid,
	"closed_on" date,
	"close_reason" text,
	"outcome" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "form_drafts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"journey" text NOT NULL,
	"data" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cme_enquiries" ADD CONSTRAINT "cme_enquiries_episode_id_episodes_id_fk" FOREIGN KEY ("episode_id") REFERENCES "public"."episodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cme_enquiries" ADD CONSTRAINT "cme_enquiries_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deletion_returns" ADD CONSTRAINT "deletion_returns_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deletion_returns" ADD CONSTRAINT "deletion_returns_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deletion_returns" ADD CONSTRAINT "deletion_returns_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "episodes" ADD CONSTRAINT "episodes_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "episodes" ADD CONSTRAINT "episodes_allocated_to_users_id_fk" FOREIGN KEY ("allocated_to") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_drafts" ADD CONSTRAINT "form_drafts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cme_enquiries_episode_idx" ON "cme_enquiries" USING btree ("episode_id","made_on");--> statement-breakpoint
CREATE UNIQUE INDEX "deletion_returns_idempotency_idx" ON "deletion_returns" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "deletion_returns_school_idx" ON "deletion_returns" USING btree ("school_id","created_at");--> statement-breakpoint
CREATE INDEX "episodes_child_idx" ON "episodes" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "episodes_kind_status_idx" ON "episodes" USING btree ("kind","status","opened_on");--> statement-breakpoint
CREATE UNIQUE INDEX "form_drafts_user_journey_idx" ON "form_drafts" USING btree ("user_id","journey");