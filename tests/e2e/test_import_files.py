"""import of the files a practice keeps: vCards as Apple, Google and Outlook write them, checked by
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
