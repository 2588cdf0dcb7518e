CREATE TABLE "child_addresses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"address_line_1" text NOT NULL,
	"address_line_2" text,
	"town" text NOT NULL,
	"postcode" text NOT NULL,
	"lived_from" date,
	"lived_to" date,
	"source" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "child_previous_names" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"used_until" date,
	"source" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "education_arrangements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"parent_hours_per_week" integer,
	"other_hours_per_week" integer,
	"source" text NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "education_providers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"address_or_website" text NOT NULL,
	"hours_per_week" integer,
	"hours_without_parent_per_week" integer,
	"ended_on" date,
	"source" text NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "adults" ADD COLUMN "do_not_disclose_address" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "adults" ADD COLUMN "contact_preference" text DEFAULT 'any' NOT NULL;--> statement-breakpoint
ALTER TABLE "adults" ADD COLUMN "contact_format" text;--> statement-breakpoint
ALTER TABLE "adults" ADD COLUMN "contact_language" text;--> statement-breakpoint
ALTER TABLE "child_adults" ADD COLUMN "provides_education" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "former_upn" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "sen_status" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "ethnicity" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "disabilities" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "looked_after" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "child_in_need" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "date_of_death" date;--> statement-breakpoint
ALTER TABLE "child_addresses" ADD CONSTRAINT "child_addresses_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_previous_names" ADD CONSTRAINT "child_previous_names_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "education_arrangements" ADD CONSTRAINT "education_arrangements_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "education_arrangements" ADD CONSTRAINT "education_arrangements_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "education_providers" ADD CONSTRAINT "education_providers_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "education_providers" ADD CONSTRAINT "education_providers_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "child_addresses_child_idx" ON "child_addresses" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "child_previous_names_child_idx" ON "child_previous_names" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "education_arrangements_child_idx" ON "education_arrangements" USING btree ("child_id","recorded_at");--> statement-breakpoint
CREATE INDEX "education_providers_child_idx" ON "education_providers" USING btree ("child_id");