CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"child_id" uuid,
	"status" text NOT NULL,
	"submitted_by" uuid,
	"referrer_type" text NOT NULL,
	"referrer_name" text NOT NULL,
	"referrer_organisation" text,
	"child_first_name" text NOT NULL,
	"child_last_name" text NOT NULL,
	"child_date_of_birth" date NOT NULL,
	"address_line_1" text,
	"town" text,
	"postcode" text,
	"details" text,
	"home_education_from" date,
	"ehe_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "referrals_status_idx" ON "referrals" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "referrals_child_idx" ON "referrals" USING btree ("child_id");