import type { LoaderFunctionArgs } from '@remix-run/node';
import { downloadReport } from '../reports/reports.server';

export const loader = (args: LoaderFunctionArgs) => downloadReport(args, 'csv');
