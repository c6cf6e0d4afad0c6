"""import of the files a practice keeps: an office spreadsheet, Google and Outlook exports, Excel's
"Unicode Text", Windows-1252, and vCards as Apple, Google and Outlook write them; each checked by
what came in (export --format json), not only by the exit status. Also the fax field and the
checks on email addresses and phone numbers."""

import json
import os
import subprocess
import unittest

from refnet_e2e import RefnetCase

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def fixture(name):
    return os.path.join(FIXTURES, name)


class FilesCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()

    def exported(self):
        """Every contact as export writes it, by name."""
        rows = self.ok("export", "contacts", "--format", "json").json()
        return {row["name"]: row for row in rows}


class OfficeSpreadsheet(FilesCase):
    def test_headers_are_recognised_and_blank_rows_skipped(self):
        result = self.ok("import", "contacts", fixture("office.csv"))
        self.assertIn("2 added", result.out)
        self.assertIn("skipped 3 blank rows", result.out)
        got = self.exported()
        ann = got["Dr. Ann Lee"]
        self.assertEqual(ann["specialty"], "Family medicine")
        self.assertEqual(ann["practice"], "Elm Street Family Medicine")
        self.assertEqual(ann["phone"], "(555) 010-0100")
        self.assertEqual(ann["fax"], "(555) 010-0199")
        self.assertEqual(ann["email"], "ann.lee@elmstreet.example")
        self.assertEqual(ann["npi"], "1234567893")
        self.assertEqual(ann["source"], "cme")
        self.assertEqual(ann["note"], "Prefers fax for referrals.\r\nCall before 9, not after.")
        raj = got["Patel, Raj"]
        self.assertEqual(raj["phone"], "555-0101 ext. 12")
        self.assertEqual(raj["source"], "referral")
        self.assertIsNone(raj["fax"])

    def test_dry_run_shows_the_mapping_first(self):
        result = self.ok("import", "contacts", fixture("office.csv"), "--dry-run")
        lines = result.out.splitlines()
        self.assertEqual(lines[0], f"Columns of {fixture('office.csv')}:")
        mapping = {line.split(" -> ")[0].strip(): line.split(" -> ")[1] for line in lines[1:10]}
        self.assertEqual(mapping["Provider Name"], "name")
        self.assertEqual(mapping["Fax"], "fax")
        self.assertEqual(mapping["Referral Source"], "source")
        self.assertEqual(mapping["Notes"], "note")
        self.assertIn("Dry run, nothing written: 2 contacts would be added", lines[-1])
        self.assertEqual(self.exported(), {})

    def test_an_unknown_header_is_reported_once_with_a_suggestion(self):
        path = self.write_file("typo.csv", "Provider Name,Emial,Internal ID\nAnn Lee,a@b.example,7\n"
                                           "Bob Stone,b@b.example,8\n")
        lines = self.refused(65, "import", "contacts", path).err.splitlines()
        unknown = [line for line in lines if "unknown column" in line]
        self.assertEqual(len(unknown), 2, lines)  # one per header, on line 1, not one per row
        self.assertTrue(unknown[0].startswith(f"{path}:1: Emial: unknown column for contacts: "
                                              "did you mean email?"), unknown[0])
        self.assertIn("--map 'Emial=email'", unknown[0])
        self.assertTrue(unknown[1].startswith(f"{path}:1: Internal ID: unknown column"), unknown[1])

    def test_map_ignore_and_ignore_unknown(self):
        path = self.write_file("typo.csv", "Provider Name,Emial,Internal ID,Shoe size\n"
                                           "Ann Lee,a@b.example,7,9\n")
        self.ok("import", "contacts", path, "--map", "Emial=email", "--ignore", "internal id",
                "--ignore-unknown")
        self.assertEqual(self.exported()["Ann Lee"]["email"], "a@b.example")

    def test_a_map_to_no_field_or_no_column_is_a_usage_error(self):
        path = self.write_file("p.csv", "Provider Name,Emial\nAnn Lee,a@b.example\n")
        result = self.refused(2, "import", "contacts", path, "--map", "Emial=mail")
        self.assertIn("contacts have no field mail", result.err)
        result = self.refused(2, "import", "contacts", path, "--map", "E-mail=email")
        self.assertIn("--map 'E-mail=email' names no column of", result.err)
        self.assertIn("'Provider Name', 'Emial'", result.err)

    def test_a_referral_log_in_its_own_words(self):
        self.ok("add", "Dr. Ann Lee", "--npi", "1234567893")
        path = self.write_file("log.csv", "Direction,Provider NPI,MRN,Referral Date,Priority,"
                                          "Reason for Referral,Comments\r\n"
                                          "in,1234567893,MRN-1001,2026-11-02,urgent,chest pain,faxed\r\n"
                                          ",,,,,,\r\n")
        result = self.ok("import", "referrals", path, "--dry-run")
        mapping = dict(tuple(part.strip() for part in line.split(" -> "))
                       for line in result.out.splitlines() if " -> " in line)
        self.assertEqual(mapping, {"Direction": "direction", "Provider NPI": "contact_npi",
                                   "MRN": "patient", "Referral Date": "referred",
                                   "Priority": "urgency", "Reason for Referral": "reason",
                                   "Comments": "note"})
        result = self.ok("import", "referrals", path)
        self.assertIn("1 added", result.out)
        self.assertIn("skipped 1 blank row", result.out)
        rows = self.ok("export", "referrals", "--format", "json").json()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["contact"], "Dr. Ann Lee")
        self.assertEqual(rows[0]["patient"], "MRN-1001")
        self.assertEqual(rows[0]["urgency"], "urgent")
        self.assertEqual(rows[0]["reason"], "chest pain")
        self.assertEqual(rows[0]["note"], "faxed")
        self.assertTrue(rows[0]["referred"].startswith("2026-11-02"))

    def test_bad_emails_and_phones_are_problems_of_their_lines(self):
        path = self.write_file("bad.csv", "name,email,phone,fax\nAnn,not-an-email,555-0100,\n"
                                          "Bob,bob@example.org,call me,12\n")
        lines = self.refused(65, "import", "contacts", path).err.splitlines()
        self.assertIn(f"{path}:2: email: 'not-an-email' is not an email address: an email "
                      "address has one @", lines)
        self.assertTrue(any(line.startswith(f"{path}:3: phone: 'call me' is not a phone number")
                            for line in lines), lines)
        self.assertIn(f"{path}:3: fax: '12' is not a phone number: a phone number has at least "
                      "4 digits", lines)


class AddressBooks(FilesCase):
    def test_google_contacts_csv(self):
        result = self.ok("import", "contacts", fixture("google.csv"), "--dry-run")
        lines = result.out.splitlines()
        self.assertEqual(lines[0], "Read as Google Contacts CSV")
        self.assertIn("  Name Prefix, First Name, Middle Name, Last Name, Name Suffix, File As -> "
                      "name", lines)
        self.assertIn("  Phone 1 - Value, Phone 2 - Value, Phone 3 - Value -> phone, fax", lines)
        self.assertIn("  Labels -> tags", lines)
        self.ok("import", "contacts", fixture("google.csv"))
        got = self.exported()
        ann = got["Dr. Ann Lee, MD"]
        self.assertEqual(ann["phone"], "555-0100")  # the work number, not the mobile one first
        self.assertEqual(ann["fax"], "555-0199")
        self.assertEqual(ann["email"], "ann.lee@elmstreet.example")
        self.assertEqual(ann["practice"], "Elm Street Family Medicine")
        self.assertEqual(ann["specialty"], "Family physician")
        self.assertEqual(ann["city"], "Springfield")
        self.assertEqual(ann["note"], "Met at the county CME day")
        self.assertEqual(ann["tags"], "Referrers")  # Google's own "* myContacts" is left out
        raj = got["Raj K. Patel"]
        self.assertEqual(raj["phone"], "555-0101")
        self.assertEqual(raj["city"], "Shelbyville")
        self.assertIsNone(raj["tags"])
        self.assertEqual(got["Mei"]["phone"], "555-0400")  # a mobile when there is nothing else

    def test_google_contacts_csv_in_its_older_layout(self):
        self.ok("import", "contacts", fixture("google-legacy.csv"))
        omar = self.exported()["Dr. Omar Brooks"]
        self.assertEqual(omar["phone"], "555-0500")
        self.assertEqual(omar["fax"], "555-0599")
        self.assertEqual(omar["practice"], "Bone & Joint Clinic")
        self.assertEqual(omar["specialty"], "Orthopedic surgeon")
        self.assertEqual(omar["email"], "omar.brooks@bonejoint.example")
        self.assertEqual(omar["tags"], "Orthopedics")

    def test_outlook_csv(self):
        self.ok("import", "contacts", fixture("outlook.csv"))
        aisha = self.exported()["Dr. Aisha Sullivan, DO"]
        self.assertEqual(aisha["phone"], "555-0600")
        self.assertEqual(aisha["fax"], "555-0699")
        self.assertEqual(aisha["practice"], "Northside Pediatrics")
        self.assertEqual(aisha["specialty"], "Pediatrician")
        self.assertEqual(aisha["city"], "Springfield")
        self.assertEqual(aisha["email"], "aisha.sullivan@northside.example")
        self.assertEqual(aisha["note"], "Phone first, then fax")
        self.assertEqual(aisha["tags"], "Pediatrics,Referrers")

    def test_from_says_which_address_book(self):
        # A Google export whose header a user trimmed still reads with --from google-csv.
        path = self.write_file("trimmed.csv", "First Name,Last Name,Phone 1 - Label,Phone 1 - Value\n"
                                              "Ann,Lee,Work,555-0100\n")
        self.ok("import", "contacts", path, "--from", "google-csv")
        self.assertEqual(self.exported()["Ann Lee"]["phone"], "555-0100")
        self.refused(2, "import", "referrals", path, "--from", "outlook-csv")


class Encodings(FilesCase):
    def test_excel_unicode_text_is_utf16_with_tabs(self):
        text = "Provider Name\tPractice\tFax\r\nDr. Núñez\tClínica del Sol\t555-0799\r\n"
        path = self.write_file("unicode.txt", b"\xff\xfe" + text.encode("utf-16-le"))
        self.ok("import", "contacts", path, "--from", "tsv")
        row = self.exported()["Dr. Núñez"]
        self.assertEqual(row["practice"], "Clínica del Sol")
        self.assertEqual(row["fax"], "555-0799")

    def test_utf16_big_endian_too(self):
        text = "name,city\nAnn Lee,Zürich\n"
        path = self.write_file("be.csv", b"\xfe\xff" + text.encode("utf-16-be"))
        self.ok("import", "contacts", path)
        self.assertEqual(self.exported()["Ann Lee"]["city"], "Zürich")

    def test_windows_1252_is_refused_in_one_message(self):
        path = self.write_file("latin.csv", "name,city,note\nAnn Lee,Zürich,café\nBob,Málaga,\n"
                                            .encode("cp1252"))
        result = self.refused(65, "import", "contacts", path)
        lines = result.err.splitlines()
        self.assertEqual(lines[0], f"refnet: cannot import {path}: it is not UTF-8 (byte 0xFC on "
                                   "line 2 looks like Windows-1252); nothing was written")
        self.assertEqual(len(lines), 2, lines)
        self.assertIn(f"iconv -f WINDOWS-1252 -t UTF-8 {path}", lines[1])

    def test_utf16_without_a_byte_order_mark_is_named(self):
        path = self.write_file("nobom.csv", "name\nAnn\n".encode("utf-16-le"))
        result = self.refused(65, "import", "contacts", path)
        self.assertIn("looks like UTF-16LE without a byte order mark", result.err)


class Vcards(FilesCase):
    def test_apple_contacts(self):
        self.ok("import", "contacts", fixture("apple.vcf"))
        ann = self.exported()["Dr. Ann Lee MD"]
        self.assertEqual(ann["phone"], "555-0100")  # the preferred work number, not the cell
        self.assertEqual(ann["fax"], "555-0199")
        self.assertEqual(ann["email"], "ann.lee@elmstreet.example")
        self.assertEqual(ann["city"], "Springfield")
        self.assertEqual(ann["specialty"], "Family physician")

    def test_google_contacts(self):
        self.ok("import", "contacts", fixture("google.vcf"))
        raj = self.exported()["Patel, Raj"]
        self.assertEqual(raj["phone"], "555-0101")
        self.assertEqual(raj["fax"], "555-0109")
        self.assertEqual(raj["tags"], "Referrers")  # Google's own group "myContacts" left out

    def test_outlook_3_skips_what_it_does_not_keep_whatever_its_encoding(self):
        self.ok("import", "contacts", fixture("outlook-30.vcf"))
        aisha = self.exported()["Dr. Aisha Sullivan DO"]
        self.assertEqual(aisha["phone"], "555-0600")  # the fax came first, and is the fax
        self.assertEqual(aisha["fax"], "555-0699")
        self.assertEqual(aisha["email"], "aisha.sullivan@northside.example")

    def test_outlook_2_1_quoted_printable_and_charset(self):
        self.ok("import", "contacts", fixture("outlook-21.vcf"))
        jose = self.exported()["Dr. José Núñez"]
        self.assertEqual(jose["practice"], "Clínica del Sol")
        self.assertEqual(jose["phone"], "(555) 010-0700")
        self.assertEqual(jose["fax"], "(555) 010-0799")
        self.assertEqual(jose["note"], "Speaks Spanish; sends diabetes referrals from the south "
                                       "side, mostly Tuesdays.")


class Fax(FilesCase):
    def test_fax_everywhere(self):
        contact = self.add("Dr. Ann Lee", "--fax", "555-0199", "--phone", "555-0100")
        self.assertEqual(self.exported()["Dr. Ann Lee"]["fax"], "555-0199")
        self.ok("edit", str(contact), "--fax", "(555) 010-0198")
        show = self.ok("show", str(contact), "--format", "json").json()
        self.assertEqual(show["contact"]["fax"], "(555) 010-0198")
        entry = self.audit()[-1]
        self.assertEqual((entry["old"]["fax"], entry["new"]["fax"]), ("555-0199", "(555) 010-0198"))
        csv_rows = self.ok("list", "contacts", "--format", "csv").csv()
        self.assertEqual(csv_rows[0]["fax"], "(555) 010-0198")
        card = self.ok("export", "contacts", "--format", "vcf").out
        self.assertIn("TEL;VALUE=text;TYPE=work,fax:(555) 010-0198\r\n", card)

    def test_bad_email_phone_and_fax_are_usage_errors(self):
        for args, says in ((["--email", "notanemail"], "invalid --email: 'notanemail' is not an "
                                                        "email address: an email address has one @"),
                           (["--email", "ann@localhost"], "needs a dot"),
                           (["--phone", "call me"], "invalid --phone: 'call me' is not a phone"),
                           (["--phone", "555+0100"], "a + goes only at the start"),
                           (["--fax", "12"], "invalid --fax: '12' is not a phone number")):
            self.refused(2, "add", "Ann Lee", *args, says=says)
        self.add("Ann Lee", "--phone", "+1 (555) 010-0100 x12", "--email", "ann@example.org")

    def test_vcard_names_written_last_name_first(self):
        self.add("Patel, Raj", "--role", "specialist")
        self.add("Dr. Li Wei (cardiology)")
        self.add("Lee, Ann, MD")
        cards = self.ok("export", "contacts", "--format", "vcf", "--vcard", "3.0").out
        code = ("import sys, json, vobject\n"
                "print(json.dumps({c.fn.value: [c.n.value.family, c.n.value.given, "
                "c.n.value.suffix] for c in vobject.readComponents(sys.stdin.read())}))\n")
        parsed = subprocess.run(["/usr/bin/python3", "-c", code], input=cards, text=True,
                                capture_output=True, check=True)
        names = json.loads(parsed.stdout)
        self.assertEqual(names["Patel, Raj"], ["Patel", "Raj", ""])
        self.assertEqual(names["Dr. Li Wei (cardiology)"], ["Wei", "Li", ""])
        self.assertEqual(names["Lee, Ann, MD"], ["Lee", "Ann", "MD"])


if __name__ == "__main__":
    unittest.main()
