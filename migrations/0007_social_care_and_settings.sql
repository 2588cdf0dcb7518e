ALTER TABLE "councils" ADD COLUMN "settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "protection_status" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "protection_ended_on" date;